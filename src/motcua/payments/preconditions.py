"""The payment rule the dossiers' door checks (`dossiers.door.require`, registered in
`PaymentsConfig.ready`): a dossier leaves "waiting for payment" only on a payment record — a cash
receipt taken at the desk or a payment the gateway confirmed — of the channel the event names,
with nothing left to pay."""
from motcua.dossiers.errors import DossierError
from motcua.payments.models import Payment, PaymentStatus
from motcua.payments.selectors import has_fee_due


def payment_recorded(dossier, params: dict) -> None:
    paid = Payment.objects.filter(obligation__dossier=dossier, status=PaymentStatus.PAID,
                                  channel=params.get("payment_channel", ""))
    if not paid.exists():
        raise DossierError("Chưa có khoản thanh toán nào được ghi nhận cho hồ sơ (biên lai thu tiền mặt hoặc xác nhận "
                           "của cổng thanh toán); không thể xác nhận đã thanh toán.", "payment_not_recorded")
    if has_fee_due(dossier):
        raise DossierError("Hồ sơ còn khoản phí, lệ phí chưa nộp.", "fee_still_due")
