"""A unit's key on a USB token or HSM, through PKCS#11 (pyHanko's `pkcs11` module, which needs
the `python-pkcs11` package and the token's library). Configured, documented, not exercised
offline (no token here):

    MOTCUA_SIGNER=motcua.results.signers.pkcs11.signer
    MOTCUA_PKCS11_LIBRARY=/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so   # the token's library
    MOTCUA_PKCS11_SLOT=0   MOTCUA_PKCS11_PIN=…                         # the token's slot and user PIN

The key and certificate on the token are found by the label `MOTCUA_PKCS11_LABEL_PREFIX` + the
unit's code. The session stays open for the worker's life; the local TSA timestamps.
"""
from functools import lru_cache

from django.conf import settings

from motcua.results import identities, signing


@lru_cache(maxsize=1)
def _session():
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    return open_pkcs11_session(settings.MOTCUA_PKCS11_LIBRARY, slot_no=settings.MOTCUA_PKCS11_SLOT,
                               user_pin=settings.MOTCUA_PKCS11_PIN)


def signer(identity) -> signing.Signer:
    from pyhanko.sign.pkcs11 import PKCS11Signer

    label = f"{settings.MOTCUA_PKCS11_LABEL_PREFIX}{identity.unit.code}"
    return signing.Signer(PKCS11Signer(_session(), cert_label=label, key_label=label), identities.timestamper())
