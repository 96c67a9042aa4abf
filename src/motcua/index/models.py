"""Stored index results: one snapshot per period and revision, under the methodology that made it."""
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
