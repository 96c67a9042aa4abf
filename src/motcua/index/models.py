"""Stored index results: one snapshot per period and revision, under the methodology that made it."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotStatus(models.TextChoices):
    DRAFT = "draft", _("Bản tạm (còn tính lại)")
    PUBLISHED = "published", _("Đã công bố")
    SUPERSEDED = "superseded", _("Đã được sửa đổi")


class Snapshot(models.Model):
    """The index of every unit for one period. A published snapshot is frozen: a later
    recomputation becomes a new revision with a reason, the old one stays as superseded."""

    period = models.CharField(_("kỳ"), max_length=30, db_index=True)
    revision = models.PositiveSmallIntegerField(_("lần sửa đổi"), default=0)
    status = models.CharField(_("trạng thái"), max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.DRAFT)
    methodology_version = models.CharField(_("phiên bản phương pháp"), max_length=40)
    methodology = models.JSONField(_("phương pháp tính (bản lưu)"))
    as_of = models.DateTimeField(_("tính đến thời điểm"))
    computed_at = models.DateTimeField(_("tính lúc"))
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    reason = models.TextField(_("lý do sửa đổi"), blank=True)
    fingerprint = models.CharField(_("dấu vân số liệu"), max_length=64,
                                   help_text=_("SHA-256 của mọi con số: cùng dữ liệu thì cùng dấu"))

    class Meta:
        verbose_name = _("kết quả chỉ số theo kỳ")
        verbose_name_plural = _("kết quả chỉ số theo kỳ")
        ordering = ["-period", "-revision"]
        constraints = [models.UniqueConstraint(fields=["period", "revision"], name="one_snapshot_per_revision")]

    def __str__(self) -> str:
        return f"{self.period} r{self.revision} ({self.get_status_display()})"


class UnitScore(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="unit_scores")
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    total = models.FloatField(_("tổng điểm"))
    band = models.CharField(_("xếp loại"), max_length=20)
    rank = models.PositiveIntegerField(_("thứ hạng"), null=True, blank=True)
    groups = models.JSONField(_("điểm theo nhóm"))

    class Meta:
        verbose_name = _("điểm đơn vị")
        verbose_name_plural = _("điểm đơn vị")
        ordering = ["rank", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "unit"], name="one_score_per_unit")]


class IndicatorScore(models.Model):
    unit_score = models.ForeignKey(UnitScore, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("chỉ số"), max_length=40)
    numerator = models.BigIntegerField(_("tử số"))
    denominator = models.BigIntegerField(_("mẫu số"))
    score = models.FloatField(_("điểm"), null=True)
    measured = models.BooleanField(_("có dữ liệu nguồn"),
                                   help_text=_("Sai: hệ thống chưa ghi nhận dữ liệu cho chỉ số này"))

    class Meta:
        verbose_name = _("điểm chỉ số")
        verbose_name_plural = _("điểm chỉ số")
        constraints = [models.UniqueConstraint(fields=["unit_score", "code"], name="one_score_per_indicator")]


class MonthlyReport(models.Model):
    """The chairman's report of one published snapshot (one per period and revision): made once, kept."""

    snapshot = models.OneToOneField(Snapshot, on_delete=models.PROTECT, related_name="report")
    created_at = models.DateTimeField(_("lập lúc"))
    pdf = models.BinaryField(_("báo cáo PDF"))
    xlsx = models.BinaryField(_("báo cáo Excel"))

    class Meta:
        verbose_name = _("báo cáo tháng")
        verbose_name_plural = _("báo cáo tháng")
        ordering = ["-snapshot__period", "-snapshot__revision"]

    def __str__(self) -> str:
        return f"{self.snapshot.period} r{self.snapshot.revision}"


class NationalTable(models.Model):
    """The national ranking of the 34 provinces for one month, imported from the portal's CSV."""

    period = models.CharField(_("kỳ"), max_length=30, unique=True)
    imported_at = models.DateTimeField(_("nhập lúc"))
    source_name = models.CharField(_("tệp nguồn"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bảng xếp hạng quốc gia")
        verbose_name_plural = _("bảng xếp hạng quốc gia")
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period


class NationalScore(models.Model):
    table = models.ForeignKey(NationalTable, on_delete=models.CASCADE, related_name="scores")
    province_code = models.CharField(_("mã tỉnh"), max_length=4)
    province_name = models.CharField(_("tên tỉnh"), max_length=100)
    groups = models.JSONField(_("điểm theo nhóm"))
    total = models.FloatField(_("tổng điểm"))
    rank = models.PositiveSmallIntegerField(_("thứ hạng"))

    class Meta:
        verbose_name = _("điểm tỉnh")
        verbose_name_plural = _("điểm tỉnh")
        ordering = ["rank", "province_name"]
        constraints = [models.UniqueConstraint(fields=["table", "province_code"], name="one_score_per_province")]

    def group_values(self) -> list[float]:
        """The group scores in the methodology's order (a JSON column need not keep its keys' order)."""
        from motcua.index.engine.methodology import get_methodology

        return [self.groups.get(g.code, 0.0) for g in get_methodology().groups]


class SupportStatus(models.TextChoices):
    OPEN = "open", _("Chờ trả lời")
    ANSWERED = "answered", _("Đã trả lời")


class SupportRequest(models.Model):
    """A unit's request to the provincial office's technical-support hotline."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.PROTECT,
                                 related_name="+")
    filed_at = models.DateTimeField(_("gửi lúc"))
    subject = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=SupportStatus.choices, default=SupportStatus.OPEN)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người trả lời"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu hỗ trợ")
        verbose_name_plural = _("yêu cầu hỗ trợ")
        ordering = ["status", "-filed_at"]

    def __str__(self) -> str:
        return self.subject
