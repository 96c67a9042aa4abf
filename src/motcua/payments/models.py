"""Fee obligations (nghĩa vụ tài chính), the payments made against them, and the raw log of every
gateway notification. Money is integer VND.

Writes go through `payments.services`; a dossier's status changes only through
`dossiers.services.transition`.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.common.formatting import vnd
from motcua.dossiers.models import PaymentChannel
from motcua.payments.gateways import CHOICES as GATEWAY_CHOICES


class PageTariff(models.Model):
    """A tiered per-page schedule for a per-page fee, e.g. certified copies (chứng thực bản sao):
    `first_page_vnd` a page for the first `first_pages` pages, `later_page_vnd` a page after that,
    at most `max_per_copy_vnd` a copy (0: no ceiling). Rules are data: edit here, cite the source."""

    fee = models.OneToOneField("catalogue.Fee", verbose_name=_("phí, lệ phí"), on_delete=models.CASCADE,
                               related_name="page_tariff")
    first_pages = models.PositiveSmallIntegerField(_("số trang đầu"), default=2)
    first_page_vnd = models.PositiveBigIntegerField(_("mức thu trang đầu (đồng/trang)"), default=2_000)
    later_page_vnd = models.PositiveBigIntegerField(_("mức thu từ trang tiếp theo (đồng/trang)"), default=1_000)
    max_per_copy_vnd = models.PositiveBigIntegerField(_("tối đa mỗi bản (đồng)"), default=200_000,
                                                      help_text=_("0: không giới hạn"))
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("biểu phí theo trang")
        verbose_name_plural = _("biểu phí theo trang")

    def __str__(self) -> str:
        return f"{self.fee}: {self.first_page_vnd}/{self.later_page_vnd} (≤ {self.max_per_copy_vnd})"


class FeeObligation(models.Model):
    """What the applicant owes for a dossier; paid by exactly one Payment."""

    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                related_name="fee_obligations")
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    description = models.CharField(_("nội dung"), max_length=500)
    lines = models.JSONField(_("chi tiết"), default=list, blank=True,
                             help_text=_("Từng khoản: tên, số trang, số bản, số tiền"))
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)
    paid_at = models.DateTimeField(_("đã thanh toán lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("nghĩa vụ tài chính")
        verbose_name_plural = _("nghĩa vụ tài chính")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {vnd(self.amount_vnd, 'đồng')}"

    @property
    def is_open(self) -> bool:
        return self.paid_at is None and self.cancelled_at is None


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thất bại")
    CANCELLED = "cancelled", _("Đã hủy")
    MISMATCH = "mismatch", _("Sai lệch — cần đối soát")
    REFUNDED = "refunded", _("Đã hoàn tiền")


class Payment(models.Model):
    """One attempt to pay an obligation: online (a gateway transaction) or in cash at the desk."""

    obligation = models.ForeignKey(FeeObligation, verbose_name=_("nghĩa vụ"), on_delete=models.PROTECT,
                                   related_name="payments")
    channel = models.CharField(_("hình thức"), max_length=10, choices=PaymentChannel.choices)
    gateway = models.CharField(_("cổng thanh toán"), max_length=20, blank=True)
    txn_ref = models.CharField(_("mã giao dịch"), max_length=64, unique=True)
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=PaymentStatus.choices,
                              default=PaymentStatus.PENDING, db_index=True)
    gateway_txn_no = models.CharField(_("mã giao dịch tại cổng"), max_length=64, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    response_code = models.CharField(_("mã phản hồi"), max_length=10, blank=True)
    flagged = models.BooleanField(_("cần đối soát"), default=False)
    flag_reason = models.TextField(_("lý do cần đối soát"), blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ thu"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    receipt_number = models.CharField(_("số biên lai"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    refunded_at = models.DateTimeField(_("hoàn tiền lúc"), null=True, blank=True)
    refunded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người quyết định hoàn tiền"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    refund_reason = models.TextField(_("lý do hoàn tiền"), blank=True)
    refund_txn_no = models.CharField(_("mã giao dịch hoàn tại cổng"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A second paid payment for one obligation is impossible, whatever the code does.
            models.UniqueConstraint(fields=["obligation"], condition=Q(status="paid"), name="one_paid_per_obligation"),
        ]

    def __str__(self) -> str:
        return self.txn_ref


class NotificationKind(models.TextChoices):
    IPN = "ipn", _("Thông báo máy chủ (IPN)")
    RETURN = "return", _("Trình duyệt quay về")
    QUERY = "query", _("Tra vấn giao dịch (querydr)")
    REFUND = "refund", _("Yêu cầu hoàn tiền")


class PaymentNotification(models.Model):
    """Every message a gateway sent us, as received, with what we answered. Never edited after
    the answer is written."""

    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications")
    gateway = models.CharField(_("cổng"), max_length=20)
    kind = models.CharField(_("loại"), max_length=10, choices=NotificationKind.choices)
    params = models.JSONField(_("tham số"))
    txn_ref = models.CharField(_("mã giao dịch"), max_length=64, blank=True, db_index=True)
    signature_valid = models.BooleanField(_("chữ ký hợp lệ"))
    answer_code = models.CharField(_("mã trả lời"), max_length=4, blank=True)
    outcome = models.CharField(_("kết quả xử lý"), max_length=300, blank=True)
    remote_addr = models.GenericIPAddressField(_("địa chỉ gửi"), null=True, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thông báo từ cổng thanh toán")
        verbose_name_plural = _("thông báo từ cổng thanh toán")
        ordering = ["-received_at", "-id"]


class GatewayRoute(models.Model):
    """Which online gateway takes the fees of a procedure, of a unit, or of a procedure at a unit.
    The most specific route wins (procedure and unit, then procedure, then unit); without one,
    the setting MOTCUA_PAYMENT_GATEWAY."""

    procedure = models.ForeignKey("catalogue.Procedure", verbose_name=_("thủ tục"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    gateway = models.CharField(_("cổng thanh toán"), max_length=20, choices=GATEWAY_CHOICES)

    class Meta:
        verbose_name = _("tuyến cổng thanh toán")
        verbose_name_plural = _("tuyến cổng thanh toán")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "unit"], name="one_route_per_procedure_unit"),
            models.UniqueConstraint(fields=["procedure"], condition=Q(unit__isnull=True), name="one_route_per_procedure"),
            models.UniqueConstraint(fields=["unit"], condition=Q(procedure__isnull=True), name="one_route_per_unit"),
            models.CheckConstraint(condition=Q(procedure__isnull=False) | Q(unit__isnull=False),
                                   name="route_names_procedure_or_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure or '*'} @ {self.unit or '*'} → {self.gateway}"


class SimulatedTransaction(models.Model):
    """The local gateway simulator's own ledger (what it told, or will tell, the merchant), so
    that it can answer a transaction query for a payment whose notification never came."""

    txn_ref = models.CharField(max_length=64, unique=True)
    result = models.JSONField(help_text=_("Tham số kết quả đã ký, theo giao thức của cổng"))
    ipn_sent = models.BooleanField(default=False)
    gateway = models.CharField(max_length=20, default="vnpay")
    refunded_vnd = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giao dịch của cổng giả lập")
        verbose_name_plural = _("giao dịch của cổng giả lập")
