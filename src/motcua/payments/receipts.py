"""The electronic receipt (biên lai điện tử) of a paid fee, as a PDF: the forms' font, heading and
lookup QR (`common.printing`). Reads only."""
from motcua.common.formatting import fmt_datetime, local, number
from motcua.common.printing import header, html_to_pdf, person, qr_data_uri
from motcua.dossiers.links import lookup_url
from motcua.payments.models import Payment, PaymentStatus

TITLE = "Biên lai thu phí, lệ phí"


def receipt_number(payment: Payment) -> str:
    return payment.receipt_number or payment.txn_ref


def receipt_pdf(payment: Payment) -> bytes:
    if payment.status != PaymentStatus.PAID:
        raise ValueError(f"Giao dịch {payment.txn_ref} chưa được thanh toán: chưa có biên lai.")
    obligation = payment.obligation
    dossier = obligation.dossier
    url = lookup_url(dossier.code)
    context = {
        "form": "",
        "title": TITLE, "head": header(dossier.received_unit, local(payment.paid_at).date()),
        "dossier": dossier, "procedure": dossier.procedure, "lookup_url": url, "qr": qr_data_uri(url),
        "payment": payment, "obligation": obligation, "number": receipt_number(payment),
        "paid_at": fmt_datetime(payment.paid_at), "officer": person(payment.received_by),
        "channel": payment.get_channel_display(), "amount": number(payment.amount_vnd, vietnamese=True),
        "lines": [{**line, "amount": number(line["amount_vnd"], vietnamese=True)} for line in obligation.lines],
    }
    return html_to_pdf("payments/receipt.html", context)
