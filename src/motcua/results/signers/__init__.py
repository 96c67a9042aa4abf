"""Who holds the key that signs a unit's results: `MOTCUA_SIGNER` names a function
`(SigningIdentity) -> signing.Signer`.

* `motcua.results.signers.server_key.signer` (the default): the unit's key in the server's key
  directory (`MOTCUA_KEY_DIR`, encrypted with `MOTCUA_KEY_PASSPHRASE`), loaded once per process.
* `motcua.results.signers.pkcs11.signer`: a USB token or HSM through PKCS#11 (`MOTCUA_PKCS11_*`).

Whatever signs, the local TSA timestamps (PAdES B-T) and the signing runs in the worker (`results.jobs`).
"""
from django.conf import settings
from django.utils.module_loading import import_string

from motcua.results import signing


def signer_for(identity) -> signing.Signer:
    return import_string(settings.MOTCUA_SIGNER)(identity)
