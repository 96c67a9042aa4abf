"""The unit's key held by the server (the key directory): loaded and decrypted once per process
and key (a key's name carries its certificate's serial, so a new certificate is a new entry)."""
from functools import lru_cache

from motcua.dossiers.errors import DossierError
from motcua.results import identities, pki, signing


@lru_cache(maxsize=64)
def _loaded(key_name: str) -> signing.Signer:
    keys = identities.key_directory()
    try:
        return signing.load_signer(keys.load(key_name), keys.load(pki.TSA_FILE))
    except pki.PkiError as exc:
        raise DossierError(str(exc), "key_unavailable") from exc


def signer(identity) -> signing.Signer:
    return _loaded(identity.key_name)
