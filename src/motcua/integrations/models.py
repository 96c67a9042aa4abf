"""Stand-ins for the national systems, kept in this database for the demo and the tests.

Nothing in motcua reads these tables to decide anything about a dossier: the national portal's
side of the exchange (`ReceivedStatusChange`) and the population registry (`PopulationRecord`)
are what the real systems would hold.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceivedStatusChange(models.Model):
    """A status change as the local receiver (stand-in for the Cổng DVC quốc gia) stored it.

    `event_key` (MaSuKien) is unique: a change sent again is acknowledged again, counted in
    `deliveries`, and never stored twice.
    """

    dossier_code = models.CharField(_("mã hồ sơ (MaHoSo)"), max_length=50, db_index=True)
    status = models.PositiveSmallIntegerField(_("trạng thái (TrangThai)"))
    event_key = models.CharField(_("mã sự kiện (MaSuKien)"), max_length=64, unique=True)
    payload = models.JSONField(_("dữ liệu nhận"))
    received_at = models.DateTimeField(_("nhận lúc"))
    deliveries = models.PositiveIntegerField(_("số lần nhận"), default=1,
                                             help_text=_("Lần gửi lại cùng MaSuKien chỉ tăng số này"))
    last_delivery_at = models.DateTimeField(_("nhận gần nhất lúc"))

    class Meta:
        verbose_name = _("thay đổi trạng thái đã nhận (cổng quốc gia giả lập)")
        verbose_name_plural = _("thay đổi trạng thái đã nhận (cổng quốc gia giả lập)")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.dossier_code} → {self.status}"


class PopulationRecord(models.Model):
    """One person in the local stand-in of the National Population Database (CSDL quốc gia về dân cư).

    An applicant matches when a record has their personal identification number and the same
    full name (compared after Unicode NFC, case folding and collapsing spaces; diacritics count).
    """

    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)

    class Meta:
        verbose_name = _("công dân (CSDL dân cư giả lập)")
        verbose_name_plural = _("CSDL dân cư giả lập")
        ordering = ["personal_id"]

    def __str__(self) -> str:
        return f"{self.personal_id} {self.full_name}"
