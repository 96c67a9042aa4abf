"""The citizen's way back to a dossier without their identification number in any address.

The tracking page is opened by posting the dossier code and the applicant's identification number
(or tax code); once they match, every later address of the page — the page itself, the result,
the slips, the receipt — carries a signed token instead. The token names only the dossier code
(not secret: codes are sequential) and is signed with the site's key, so it cannot be made without
having given the number; it lasts `MAX_AGE`, after which the citizen types the number again.
An address with the number in it stays in the browser's history, in proxies' and servers' logs
and in whatever it is shared through: that is why the number is kept out of them (issue 13).
"""
from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils.http import urlencode

from motcua.dossiers.models import Dossier
from motcua.limits.doors import applicant_dossier

SALT = "motcua.limits.tracking"
MAX_AGE = timedelta(hours=2)
TOKEN = "t"  # the name of the token in query strings and forms


def token_for(dossier: Dossier) -> str:
    return signing.dumps(dossier.code, salt=SALT)


def code_in(token: str) -> str | None:
    """The dossier code a token names, or None when it is forged or older than `MAX_AGE`."""
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return None


def url_for(dossier: Dossier, name: str = "portal:lookup", **kwargs) -> str:
    """The address of a citizen's page of `dossier` (the tracking page by default), with its token."""
    return reverse(name, kwargs=kwargs or None) + "?" + urlencode({TOKEN: token_for(dossier)})


def requested_code(data) -> str:
    """The dossier code a request names (by its token, else `ma`), for the per-dossier limits."""
    token = data.get(TOKEN, "")
    return (code_in(token) or "") if token else data.get("ma", "")


def tracked_dossier(request, data) -> Dossier | None:
    """The dossier a citizen's request is about: by its token (`t`), else by the code and the
    identification number (`ma`, `so`) behind the lookup limits; None when neither matches."""
    token = data.get(TOKEN, "")
    if token:
        code = code_in(token)
        return Dossier.objects.select_related("procedure", "unit").filter(code=code).first() if code else None
    return applicant_dossier(request, data.get("ma", ""), data.get("so", ""))
