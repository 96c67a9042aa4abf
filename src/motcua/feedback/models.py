"""Ratings of finished dossiers, and petitions (phản ánh, kiến nghị — PAKN) with their event log."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.Model):
    """The applicant's rating of a dossier whose result was returned: one per dossier."""

    dossier = models.OneToOneField("dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                   related_name="rating")
    satisfied = models.BooleanField(_("hài lòng"))
    comment = models.TextField(_("ý kiến"), blank=True)
    rated_at = models.DateTimeField(_("đánh giá lúc"))

    class Meta:
        verbose_name = _("đánh giá hồ sơ")
        verbose_name_plural = _("đánh giá hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {'hài lòng' if self.satisfied else 'không hài lòng'}"


class Category(models.TextChoices):
    PROCEDURE = "procedure", _("Quy định, thủ tục hành chính")
    STAFF = "staff", _("Hành vi, thái độ của cán bộ, công chức")
    OTHER = "other", _("Nội dung khác")


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("Đang xử lý")
    AWAITING_INFO = "awaiting_info", _("Chờ bổ sung thông tin")
    ANSWERED = "answered", _("Đã có trả lời, chờ công khai")
    PUBLISHED = "published", _("Đã công khai trả lời")
    REJECTED = "rejected", _("Từ chối tiếp nhận")


OPEN_STATUSES = (PetitionStatus.RECEIVED, PetitionStatus.AWAITING_INFO, PetitionStatus.ANSWERED)


class Petition(models.Model):
    """A petition about a unit (and maybe one of its dossiers). `unit` is the unit handling it now;
    `clock_started_at` the submission or the latest transfer, from which its deadlines run."""

    code = models.CharField(_("mã phản ánh"), max_length=30, unique=True)
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT,
                             related_name="petitions")
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ liên quan"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="petitions")
    earlier = models.ForeignKey("self", verbose_name=_("phản ánh trước (phản ánh lại)"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="re_raises")
    category = models.CharField(_("lĩnh vực"), max_length=12, choices=Category.choices, default=Category.PROCEDURE)
    petitioner_name = models.CharField(_("người phản ánh"), max_length=200)
    petitioner_phone = models.CharField(_("điện thoại"), max_length=20)
    petitioner_email = models.EmailField(_("thư điện tử"), blank=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=15, choices=PetitionStatus.choices,
                              default=PetitionStatus.RECEIVED)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), db_index=True)
    clock_started_at = models.DateTimeField(_("bắt đầu tính hạn"))
    due_at = models.DateTimeField(_("hạn của bước đang chờ"), null=True, blank=True)
    missed_at = models.DateTimeField(_("hạn đầu tiên bị trễ"), null=True, blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    likes = models.PositiveIntegerField(_("đồng tình"), default=0)
    dislikes = models.PositiveIntegerField(_("không đồng tình"), default=0)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class PetitionAction(models.TextChoices):
    SUBMIT = "submit", _("Gửi phản ánh")
    REJECT = "reject", _("Từ chối tiếp nhận")
    REQUEST_INFO = "request_info", _("Yêu cầu bổ sung thông tin")
    SUPPLY_INFO = "supply_info", _("Bổ sung thông tin")
    ANSWER = "answer", _("Trả lời")
    PUBLISH = "publish", _("Công khai trả lời")
    TRANSFER = "transfer", _("Chuyển đơn vị xử lý")


class PetitionEvent(models.Model):
    """One step of a petition, with the deadline it had and whether it met it (append-only)."""

    petition = models.ForeignKey(Petition, verbose_name=_("phản ánh"), on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("thao tác"), max_length=15, choices=PetitionAction.choices)
    from_status = models.CharField(_("từ trạng thái"), max_length=15, choices=PetitionStatus.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=15, choices=PetitionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"))
    due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    note = models.TextField(_("nội dung"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý phản ánh")
        verbose_name_plural = _("bước xử lý phản ánh")
        ordering = ["petition", "at", "pk"]

    @property
    def on_time(self) -> bool | None:
        return None if self.due_at is None else self.at <= self.due_at


class Reaction(models.Model):
    """A reader's like or dislike of a published answer: one per petition and browser session."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="reactions")
    voter = models.CharField(max_length=64)  # SHA-256 of the session key
    like = models.BooleanField()
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["petition", "voter"], name="one_reaction_per_voter")]
