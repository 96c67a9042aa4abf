"""The address of a dossier's public lookup page (tra cứu hồ sơ, served by the portal): the one
place it is built, for the slips, receipts and notices. It never carries the applicant's
identification number; the citizen's own browser goes back with a signed token
(`limits.tracking`)."""
from urllib.parse import urlencode

from django.urls import reverse

from motcua.common.public_url import public_base_url


def lookup_url(code: str) -> str:
    """The absolute public address printed on slips and QR codes and sent in notices."""
    return public_base_url() + reverse("portal:lookup") + "?" + urlencode({"ma": code})
