"""The address of a dossier's public lookup page (tra cứu hồ sơ, served by the portal): the one
place it is built, for the portal, payments, feedback, the slips and the notices."""
from urllib.parse import urlencode

from django.urls import reverse

from motcua.common.public_url import public_base_url


def lookup_url(code: str, identifier: str | None = None) -> str:
    """With the applicant's identification number: the site-relative address that opens the dossier
    at once, where the applicant's own browser goes after an action. Without it: the absolute public
    address printed on slips and QR codes and sent in notices, which never carry the number."""
    if identifier is not None:
        return reverse("portal:lookup") + "?" + urlencode({"ma": code, "so": identifier})
    return public_base_url() + reverse("portal:lookup") + "?" + urlencode({"ma": code})
