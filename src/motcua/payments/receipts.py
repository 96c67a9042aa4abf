"""The electronic receipt (biên lai điện tử) of a paid fee, as a PDF: WeasyPrint with the slips'
font, heading and lookup QR (`dossiers.slips` helpers). Reads only."""
from django.template.loader import render_to_string
from django.utils import timezone, translation

from motcua.common.formatting import number
from motcua.dossiers import slips
from motcua.dossiers.links import lookup_url
from motcua.payments.models import Payment, PaymentStatus

TITLE = "Biên lai thu phí, lệ phí"


def receipt_number(payment: Payment) -> str:
    return payment.receipt_number or payment.txn_ref


def receipt_pdf(payment: Payment) -> bytes:
    if payment.status != PaymentStatus.PAID:
        raise ValueError(f"Giao dịch {payment.txn_ref} chưa được thanh toán: chưa có biên lai.")
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    obligation = payment.obligation
    dossier = obligation.dossier
    url = lookup_url(dossier.code)
    context = {
        "font_faces": slips.font_faces_css(), "font_family": slips.FONT_FAMILY, "form": "",
        "title": TITLE, "head": slips.header(dossier.received_unit, slips.local(payment.paid_at).date()),
        "dossier": dossier, "procedure": dossier.procedure, "lookup_url": url, "qr": slips.qr_data_uri(url),
        "payment": payment, "obligation": obligation, "number": receipt_number(payment),
        "paid_at": slips.fmt_datetime(payment.paid_at), "officer": slips.person(payment.received_by),
        "channel": payment.get_channel_display(), "amount": number(payment.amount_vnd, vietnamese=True),
        "lines": [{**line, "amount": number(line["amount_vnd"], vietnamese=True)} for line in obligation.lines],
    }
    with translation.override("vi"), timezone.override(slips.VN):
        html = render_to_string("payments/receipt.html", context)
    fetcher = URLFetcher(allowed_protocols={"file", "data"})  # no network at run time
    return HTML(string=html, base_url=slips.FONT_DIR.as_uri() + "/", url_fetcher=fetcher).write_pdf(
        font_config=FontConfiguration())
