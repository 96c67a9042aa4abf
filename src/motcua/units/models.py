"""The organisation: province → departments (sở, ban, ngành) and communes/wards; officers."""
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.units.identifiers import MAX_LENGTH, validate_agency_identifier


def _valid_identifier(value: str) -> None:
    if problem := validate_agency_identifier(value):
        raise ValidationError(problem)


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE = "commune", _("Xã, phường")


class Unit(models.Model):
    """A unit with a one-stop desk. The province is the root; departments and communes its children."""

    code = models.CharField(_("mã đơn vị"), max_length=20, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    kind = models.CharField(_("loại"), max_length=12, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    division_type = models.CharField(_("loại đơn vị hành chính"), max_length=20, blank=True)
    admin_code = models.PositiveIntegerField(
        _("mã hành chính"), null=True, blank=True, help_text=_("Mã tỉnh/xã theo danh mục hành chính")
    )
    identifier = models.CharField(
        _("mã định danh điện tử"), max_length=MAX_LENGTH, blank=True, validators=[_valid_identifier],
        help_text=_("Theo Quyết định 20/2020/QĐ-TTg, ví dụ H24.05; đứng đầu mã số hồ sơ đơn vị tiếp nhận"))

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["identifier"], condition=~models.Q(identifier=""),
                                               name="unit_identifier_unique")]

    @property
    def dossier_code_prefix(self) -> str:
        """What the unit's dossier codes start with: its electronic identifier, or (until one is
        entered) its own code, as the codes issued before identifiers were recorded."""
        return self.identifier or self.code

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    RECEPTION = "reception", _("Cán bộ tiếp nhận")
    PROCESSING = "processing", _("Cán bộ xử lý")
    HEAD = "head", _("Lãnh đạo đơn vị")
    PROVINCIAL_OFFICE = "provincial_office", _("Văn phòng UBND tỉnh")
    ADMIN = "admin", _("Quản trị hệ thống")


class Officer(AbstractUser):
    """A civil servant who logs in. Applicants are not officers: they track dossiers by code."""

    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.PROCESSING)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="officers",
    )

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role in (Role.PROVINCIAL_OFFICE, Role.ADMIN)
