"""Notices to applicants (thông báo cho công dân) and the channel each applicant chose.

`ApplicantMessage` is an outbox: a row is written in the transaction of what it is about (the
event, the delay report), once per (subject, channel) — `key` names the subject — and delivered
later by `notify.services.deliver_pending` through the channel's adapter, at most once.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")


class NoticeKind(models.TextChoices):
    APOLOGY = "apology", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)")
    SUPPLEMENT = "supplement", _("Yêu cầu bổ sung hồ sơ")
    PAYMENT = "payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    RESULT_READY = "result_ready", _("Đã có kết quả giải quyết")
    ONE_TIME_CODE = "one_time_code", _("Mã xác nhận (rút hồ sơ trực tuyến)")
    REFUSED = "refused", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)")
    STOPPED = "stopped", _("Thông báo dừng giải quyết hồ sơ (Mẫu 05)")


class ContactPreference(models.Model):
    """The channel an applicant chose for notices, by identification number or tax code. Without
    one, an applicant is written to by e-mail when they gave an address, else by SMS."""

    applicant_id = models.CharField(_("số định danh / mã số thuế"), max_length=20, unique=True)
    channel = models.CharField(_("kênh nhận thông báo"), max_length=10, choices=NoticeChannel.choices)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("kênh nhận thông báo của công dân")
        verbose_name_plural = _("kênh nhận thông báo của công dân")

    def __str__(self) -> str:
        return f"{self.applicant_id}: {self.get_channel_display()}"


class ApplicantMessage(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("loại"), max_length=20, choices=NoticeKind.choices)
    key = models.CharField(_("về"), max_length=40, help_text=_("event:<id> hoặc delay:<id>"))
    channel = models.CharField(_("kênh"), max_length=10, choices=NoticeChannel.choices)
    address = models.CharField(_("gửi tới"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))
    attachment = models.CharField(_("tệp đính kèm"), max_length=300, blank=True)
    attachment_name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("nhận gửi lúc"), null=True, blank=True,
                                      help_text=_("Một lần gửi đang giữ thư này"))
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True, db_index=True)
    reference = models.CharField(_("mã của nhà cung cấp"), max_length=100, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("thông báo cho công dân")
        verbose_name_plural = _("thông báo cho công dân")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["key", "channel"], name="one_message_per_subject_channel")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.address}"


class StandInDelivery(models.Model):
    """What the local SMS / Zalo stand-in "delivered" (demo, tests): the real gateway would hold it."""

    channel = models.CharField(_("kênh"), max_length=10, choices=NoticeChannel.choices)
    address = models.CharField(_("số điện thoại"), max_length=20)
    text = models.TextField(_("nội dung"))
    delivered_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tin đã nhận (SMS/Zalo giả lập)")
        verbose_name_plural = _("tin đã nhận (SMS/Zalo giả lập)")
        ordering = ["id"]


class Notification(models.Model):
    """An in-app notice to an officer (thông báo), also e-mailed when the officer has an address.
    The app that sends it writes its wording and kind (`dossiers.notifications`: deadlines,
    `catalogue.alerts`: publication deadlines); notify stores and mails it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("loại"), max_length=20)
    message = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    class Meta:
        db_table = "dossiers_notification"  # moved from dossiers with its rows (migration notify 0004)
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "dossier", "kind"], name="one_notice_per_kind")]
