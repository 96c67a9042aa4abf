"""The procedure catalogue (danh mục thủ tục hành chính, TTHC).

A procedure record mirrors the National Database on Administrative Procedures (CSDLQG về TTHC):
code, name, field, level, implementing agency, methods (each with its time limit and fee), fees
and charges, dossier components, legal basis, internal process steps, and the publication
decisions (quyết định công bố, QĐCB) that announced it. Money is integer VND.
"""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.common.formatting import vnd
from motcua.units.models import Role, Unit


class ProcedureLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("Ngày làm việc")
    WORKING_HOURS = "working_hours", _("Giờ làm việc")
    DAYS = "days", _("Ngày")
    MONTHS = "months", _("Tháng")
    IN_DAY = "in_day", _("Trong ngày")


class Subject(models.TextChoices):
    """Đối tượng thực hiện."""

    INDIVIDUAL = "individual", _("Công dân Việt Nam")
    ORGANISATION = "organisation", _("Tổ chức")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    FOREIGNER = "foreigner", _("Người nước ngoài")
    OVERSEAS_VIETNAMESE = "overseas_vietnamese", _("Người Việt Nam định cư ở nước ngoài")
    FOREIGN_ORGANISATION = "foreign_organisation", _("Tổ chức nước ngoài")
    OTHER = "other", _("Khác")


class OnlineLevel(models.TextChoices):
    NONE = "none", _("Không cung cấp trực tuyến")
    PARTIAL = "partial", _("Trực tuyến một phần")
    FULL = "full", _("Trực tuyến toàn trình")


class ProcedureStatus(models.TextChoices):
    PUBLISHED = "published", _("Đã công bố")
    PUBLISHED_AMENDED = "published_amended", _("Đã công bố sửa đổi, bổ sung")
    ABOLISHED = "abolished", _("Đã bãi bỏ")


class Method(models.TextChoices):
    """Cách thức thực hiện (the same values as `dossiers.models.Channel`)."""

    DIRECT = "direct", _("Trực tiếp")
    POSTAL = "postal", _("Bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")


class FeeKind(models.TextChoices):
    FEE = "fee", _("Lệ phí")
    CHARGE = "charge", _("Phí")


class ChangeType(models.TextChoices):
    NEW = "new", _("Ban hành mới")
    AMENDED = "amended", _("Sửa đổi, bổ sung")
    REPLACED = "replaced", _("Thay thế")
    ABOLISHED = "abolished", _("Bãi bỏ")


#: The seven mandatory parts of a published procedure (service index, PUBLIC_CONTENT_FULL).
MANDATORY_PARTS = ("name", "steps", "methods", "components", "time_limit", "subjects", "agency")
MANDATORY_PART_LABELS = {
    "name": _("tên thủ tục"),
    "steps": _("trình tự thực hiện"),
    "methods": _("cách thức thực hiện"),
    "components": _("thành phần, số lượng hồ sơ"),
    "time_limit": _("thời hạn giải quyết"),
    "subjects": _("đối tượng thực hiện"),
    "agency": _("cơ quan thực hiện"),
}

TIME_LIMIT_FIELD = dict(max_digits=6, decimal_places=2)


def validate_subjects(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Đối tượng thực hiện phải là một danh sách."))
    unknown = [v for v in value if v not in Subject.values]
    if unknown:
        raise ValidationError(_("Đối tượng không hợp lệ: %(values)s"), params={"values": ", ".join(unknown)})
    if len(set(value)) != len(value):
        raise ValidationError(_("Đối tượng thực hiện bị lặp."))


def check_step_shares(shares) -> Decimal | None:
    """The sum of the step shares when it is not 100 (None when fine or when there are no steps)."""
    shares = [Decimal(s) for s in shares]
    if not shares:
        return None
    total = sum(shares, Decimal(0))
    return None if total == 100 else total


class DocumentType(models.Model):
    """A kind of document (loại giấy tờ: căn cước, giấy khai sinh, giấy chứng nhận đăng ký kinh doanh…).
    A document in an applicant's store is reused only for a component of its own type."""

    code = models.CharField(_("mã loại giấy tờ"), max_length=40, unique=True)
    name = models.CharField(_("tên loại giấy tờ"), max_length=300)

    class Meta:
        verbose_name = _("loại giấy tờ")
        verbose_name_plural = _("loại giấy tờ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """A procedure (thủ tục hành chính) as published on the National Database."""

    code = models.CharField(_("mã thủ tục"), max_length=20, unique=True, help_text=_("Ví dụ 1.001234"))
    name = models.CharField(_("tên thủ tục"), max_length=1000)
    field = models.CharField(_("lĩnh vực"), max_length=255, blank=True, db_index=True)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=ProcedureLevel.choices)
    agency = models.ForeignKey(
        Unit, verbose_name=_("cơ quan thực hiện"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="procedures",
        help_text=_("Sở, ngành thực hiện (thủ tục cấp tỉnh); để trống với thủ tục cấp xã — mọi xã đều thực hiện"),
    )
    implementing_agency_text = models.TextField(
        _("cơ quan thực hiện (theo CSDLQG)"), blank=True, help_text=_("Như ghi trên Cơ sở dữ liệu quốc gia")
    )
    time_limit = models.DecimalField(
        _("thời hạn giải quyết"), null=True, blank=True, validators=[MinValueValidator(Decimal("0.01"))],
        **TIME_LIMIT_FIELD,
    )
    time_unit = models.CharField(_("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, blank=True)
    subjects = models.JSONField(
        _("đối tượng thực hiện"), default=list, blank=True, validators=[validate_subjects],
        help_text=_("Danh sách mã: individual, organisation, enterprise, foreigner…"),
    )
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result_name = models.CharField(_("kết quả thực hiện"), max_length=1000, blank=True)
    result_is_document = models.BooleanField(
        _("kết quả là giấy tờ"), default=True, help_text=_("Kết quả là văn bản, giấy chứng nhận… (phải có bản điện tử)")
    )
    result_document_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại giấy tờ của kết quả"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Kết quả đưa vào kho dữ liệu cá nhân mang loại này, để dùng lại về sau"),
    )
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=ProcedureStatus.choices, default=ProcedureStatus.PUBLISHED
    )
    fee_note = models.TextField(_("ghi chú phí, lệ phí"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "status"])]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self) -> None:
        errors = {}
        if self.time_limit is not None and not self.time_unit:
            errors["time_unit"] = _("Phải chọn đơn vị thời hạn khi có thời hạn.")
        if self.time_unit and self.time_limit is None:
            errors["time_limit"] = _("Phải nhập thời hạn khi có đơn vị thời hạn.")
        if self.level == ProcedureLevel.COMMUNE and self.agency_id is not None:
            errors["agency"] = _("Thủ tục cấp xã do mọi xã thực hiện: để trống cơ quan thực hiện.")
        if errors:
            raise ValidationError(errors)

    # -- helpers (they use prefetched relations when present) --

    @property
    def is_fee_bearing(self) -> bool:
        """Any fee or charge, or any method fee, above zero."""
        return any(f.amount_vnd > 0 for f in self.fees.all()) or any(m.fee_vnd > 0 for m in self.methods.all())

    @property
    def offered_online(self) -> bool:
        return self.online_level != OnlineLevel.NONE

    @property
    def for_individuals(self) -> bool:
        return Subject.INDIVIDUAL in (self.subjects or [])

    def missing_mandatory_parts(self) -> list[str]:
        """The mandatory parts (see MANDATORY_PARTS) this record lacks."""
        missing = []
        if not (self.name or "").strip():
            missing.append("name")
        if not self.steps.all():
            missing.append("steps")
        if not self.methods.all():
            missing.append("methods")
        components = list(self.components.all())
        if not components or any(c.original_count + c.copy_count <= 0 for c in components):
            missing.append("components")
        if self.time_limit is None or not self.time_unit or (
            self.time_limit <= 0 and self.time_unit != TimeUnit.IN_DAY
        ):
            missing.append("time_limit")
        if not self.subjects:
            missing.append("subjects")
        # Commune-level procedures are implemented by every commune: their agency is implicit.
        if not (self.agency_id or (self.implementing_agency_text or "").strip() or self.level == ProcedureLevel.COMMUNE):
            missing.append("agency")
        return missing

    def has_mandatory_parts(self) -> bool:
        """All 7 mandatory parts: name, steps, method, components with count, time limit, subjects, agency."""
        return not self.missing_mandatory_parts()


class ProcedureMethod(models.Model):
    """One way of submitting (cách thức thực hiện) with its own time limit and fee."""

    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="methods")
    method = models.CharField(_("cách thức"), max_length=10, choices=Method.choices)
    time_limit = models.DecimalField(
        _("thời hạn"), null=True, blank=True, validators=[MinValueValidator(Decimal("0.01"))], **TIME_LIMIT_FIELD
    )
    time_unit = models.CharField(_("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, blank=True)
    fee_vnd = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("cách thức thực hiện")
        verbose_name_plural = _("cách thức thực hiện")
        ordering = ["procedure", "id"]

    def __str__(self) -> str:
        return f"{self.procedure.code}: {self.get_method_display()}"


class Fee(models.Model):
    """A fee (lệ phí) or a charge (phí)."""

    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("tên phí, lệ phí"), max_length=500)
    amount_vnd = models.PositiveBigIntegerField(_("mức thu (đồng)"), default=0)
    kind = models.CharField(_("loại"), max_length=10, choices=FeeKind.choices, default=FeeKind.FEE)
    per_page = models.BooleanField(_("tính theo trang"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["procedure", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {vnd(self.amount_vnd, 'đồng')}"


class Component(models.Model):
    """A dossier component (thành phần hồ sơ)."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="components"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=1000)
    original_count = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    copy_count = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=True)
    template_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại giấy tờ"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Chỉ giấy tờ cùng loại trong kho dữ liệu cá nhân mới được dùng lại cho thành phần này"),
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name


class LegalBasis(models.Model):
    """A legal document the procedure rests on (căn cứ pháp lý)."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="legal_bases"
    )
    document_number = models.CharField(_("số ký hiệu"), max_length=100, help_text=_("Ví dụ 23/2015/NĐ-CP"))
    title = models.TextField(_("trích yếu"), blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["procedure", "id"]

    def __str__(self) -> str:
        return self.document_number


class ProcessStep(models.Model):
    """An internal processing step (tiếp nhận, thẩm định, phê duyệt, trả kết quả…).

    `share_percent` is the step's share of the time limit; a procedure's shares sum to 100.
    """

    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên bước"), max_length=200)
    share_percent = models.DecimalField(
        _("tỷ lệ thời gian (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices, blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")
    APPLIED = "applied", _("Đã cập nhật vào danh mục")


class PublicationDecision(models.Model):
    """A publication decision (quyết định công bố, QĐCB) of the province.

    A draft (drafted from a national change, see `publications`) has no number yet and its
    `decided_on` is the planned date; issuing it gives the number, the real date and the signer;
    applying it writes its changes into the catalogue (`ProcedureHistory`).
    """

    number = models.CharField(_("số quyết định"), max_length=100, blank=True, help_text=_("Ví dụ 1234/QĐ-UBND"))
    title = models.TextField(_("trích yếu"), blank=True)
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=DecisionStatus.choices,
                              default=DecisionStatus.ISSUED)
    issued_by_ministry = models.BooleanField(
        _("do Bộ, ngành ban hành"), default=False,
        help_text=_("Thời hạn của Bộ, ngành: 20 ngày làm việc trước ngày có hiệu lực, công khai trong 10 ngày"),
    )
    national_decision = models.ForeignKey(
        "NationalDecision", verbose_name=_("theo quyết định công bố của Bộ, ngành"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="province_decisions",
    )
    applied_at = models.DateTimeField(_("cập nhật danh mục lúc"), null=True, blank=True)
    issuer_unit = models.ForeignKey(
        Unit, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="publication_decisions"
    )
    decided_on = models.DateField(_("ngày quyết định"))
    published_national_on = models.DateField(
        _("ngày công khai trên CSDLQG"), null=True, blank=True,
        help_text=_("Ngày thủ tục được công khai trên Cơ sở dữ liệu quốc gia về TTHC"),
    )

    class Meta:
        verbose_name = _("quyết định công bố")
        verbose_name_plural = _("quyết định công bố")
        ordering = ["-decided_on", "number"]

    def __str__(self) -> str:
        return f"{self.number or _('Dự thảo')} ({self.decided_on:%d/%m/%Y})"


class PublicationItem(models.Model):
    """A procedure announced by a publication decision, and how it changed."""

    decision = models.ForeignKey(
        PublicationDecision, verbose_name=_("quyết định công bố"), on_delete=models.CASCADE, related_name="items"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="publication_items",
        null=True, blank=True, help_text=_("Để trống với thủ tục ban hành mới chưa có trong danh mục"),
    )
    code = models.CharField(_("mã thủ tục"), max_length=20, blank=True)
    name = models.CharField(_("tên thủ tục"), max_length=1000, blank=True)
    change_type = models.CharField(_("loại công bố"), max_length=10, choices=ChangeType.choices)
    replaces_code = models.CharField(
        _("thay thế thủ tục"), max_length=20, blank=True, help_text=_("Mã thủ tục bị thay thế (loại «Thay thế»)")
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True,
                                   help_text=_("Số ký hiệu văn bản, ví dụ 23/2015/NĐ-CP"))
    effective_on = models.DateField(_("ngày văn bản có hiệu lực"), null=True, blank=True)
    national_change = models.ForeignKey(
        "NationalChange", verbose_name=_("theo thay đổi của Bộ, ngành"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="province_items",
    )

    class Meta:
        verbose_name = _("thủ tục được công bố")
        verbose_name_plural = _("thủ tục được công bố")
        ordering = ["decision", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "procedure"], name="catalogue_one_item_per_procedure")
        ]

    def __str__(self) -> str:
        return f"{self.decision}: {self.procedure_code} ({self.get_change_type_display()})"

    def save(self, *args, **kwargs):
        if self.procedure_id and not self.code:
            self.code, self.name = self.procedure.code, self.name or self.procedure.name
        super().save(*args, **kwargs)

    @property
    def procedure_code(self) -> str:
        return self.procedure.code if self.procedure_id else self.code


class NationalDecision(models.Model):
    """A ministry's decision to publish (quyết định công bố của Bộ, ngành) read from the national feed."""

    number = models.CharField(_("số quyết định"), max_length=100, unique=True)
    title = models.TextField(_("trích yếu"), blank=True)
    ministry = models.CharField(_("Bộ, ngành ban hành"), max_length=255)
    decided_on = models.DateField(_("ngày ban hành"))
    published_on = models.DateField(_("ngày công khai trên CSDLQG"), null=True, blank=True)
    imported_at = models.DateTimeField(_("nhập lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("quyết định công bố của Bộ, ngành")
        verbose_name_plural = _("quyết định công bố của Bộ, ngành")
        ordering = ["-decided_on", "number"]

    def __str__(self) -> str:
        return f"{self.number} ({self.ministry})"


class NationalChange(models.Model):
    """One procedure a ministry's decision adds, amends, replaces or abolishes."""

    decision = models.ForeignKey(NationalDecision, verbose_name=_("quyết định"), on_delete=models.CASCADE,
                                 related_name="changes")
    code = models.CharField(_("mã thủ tục"), max_length=20)
    name = models.CharField(_("tên thủ tục"), max_length=1000)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=ProcedureLevel.choices)
    change_type = models.CharField(_("loại công bố"), max_length=10, choices=ChangeType.choices)
    replaces_code = models.CharField(_("thay thế thủ tục"), max_length=20, blank=True)
    agency_code = models.CharField(_("mã cơ quan thực hiện ở tỉnh"), max_length=20, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    effective_on = models.DateField(_("ngày văn bản có hiệu lực"))

    class Meta:
        verbose_name = _("thay đổi thủ tục của Bộ, ngành")
        verbose_name_plural = _("thay đổi thủ tục của Bộ, ngành")
        ordering = ["decision", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "code"], name="catalogue_one_change_per_code")]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_change_type_display()})"


class ProcedureHistory(models.Model):
    """What applying a publication decision changed in a procedure (before and after)."""

    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE,
                                  related_name="history")
    decision = models.ForeignKey(PublicationDecision, verbose_name=_("quyết định công bố"), on_delete=models.PROTECT,
                                 related_name="history")
    change_type = models.CharField(_("loại công bố"), max_length=10, choices=ChangeType.choices)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"))
    applied_at = models.DateTimeField(_("lúc"), default=timezone.now)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người cập nhật"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("lịch sử thủ tục")
        verbose_name_plural = _("lịch sử thủ tục")
        ordering = ["procedure", "applied_at", "id"]

    def __str__(self) -> str:
        return f"{self.procedure.code}: {self.get_change_type_display()} ({self.decision})"


class PublicationDeadline(models.TextChoices):
    DECIDE = "decide", _("Ban hành quyết định công bố")
    PUBLISH = "publish", _("Công khai trên CSDLQG")


class AlertStage(models.TextChoices):
    APPROACHING = "approaching", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


class PublicationAlert(models.Model):
    """An alert about one deadline of one announced procedure, sent once per stage."""

    item = models.ForeignKey(PublicationItem, verbose_name=_("thủ tục được công bố"), on_delete=models.CASCADE,
                             related_name="alerts")
    deadline = models.CharField(_("thời hạn"), max_length=10, choices=PublicationDeadline.choices)
    stage = models.CharField(_("mức"), max_length=12, choices=AlertStage.choices)
    due_on = models.DateField(_("hạn"))
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị chủ trì"), null=True, on_delete=models.SET_NULL,
                             related_name="+")
    message = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("cảnh báo thời hạn công bố")
        verbose_name_plural = _("cảnh báo thời hạn công bố")
        ordering = ["-created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "deadline", "stage"], name="catalogue_one_alert")]

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------------------------
# Three systems: dated snapshots of each source and the consistency findings between them
# --------------------------------------------------------------------------------------------


class Source(models.TextChoices):
    """The three systems that must publish the same catalogue."""

    NATIONAL = "national", _("CSDL quốc gia về TTHC")
    PROVINCIAL = "provincial", _("Hệ thống thông tin giải quyết TTHC của tỉnh")
    PORTAL = "portal", _("Cổng dịch vụ công (danh mục dịch vụ)")


#: A coarse status some sources give: in force, without saying whether amended (the portal's "đang áp dụng").
IN_FORCE = "in_force"
SOURCE_STATUS_CHOICES = [*ProcedureStatus.choices, (IN_FORCE, _("Đang áp dụng"))]


class SourceSnapshot(models.Model):
    """One dated version of a source's catalogue, imported whole (all rows valid) or not at all."""

    source = models.CharField(_("nguồn"), max_length=12, choices=Source.choices)
    taken_on = models.DateField(_("ngày lấy dữ liệu"), help_text=_("Ngày dữ liệu của nguồn được trích xuất"))
    imported_at = models.DateTimeField(_("nhập lúc"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    row_count = models.PositiveIntegerField(_("số thủ tục"), default=0)

    class Meta:
        verbose_name = _("bản chụp nguồn dữ liệu")
        verbose_name_plural = _("bản chụp nguồn dữ liệu")
        ordering = ["-taken_on", "-imported_at", "-id"]
        indexes = [models.Index(fields=["source", "-taken_on", "-imported_at"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} — {self.taken_on:%d/%m/%Y}"


class SourceRecord(models.Model):
    """A procedure as one source shows it, normalised for comparison; None = the source does not say."""

    snapshot = models.ForeignKey(
        SourceSnapshot, verbose_name=_("bản chụp"), on_delete=models.CASCADE, related_name="records"
    )
    code = models.CharField(_("mã thủ tục"), max_length=20)
    name = models.CharField(_("tên thủ tục"), max_length=1000, null=True, blank=True)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=ProcedureLevel.choices, null=True, blank=True)
    agency_code = models.CharField(_("mã cơ quan thực hiện"), max_length=20, null=True, blank=True)
    agency_text = models.TextField(_("cơ quan thực hiện"), null=True, blank=True)
    time_limit = models.DecimalField(_("thời hạn giải quyết"), null=True, blank=True, **TIME_LIMIT_FIELD)
    time_unit = models.CharField(_("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, null=True, blank=True)
    fee_total_vnd = models.PositiveBigIntegerField(_("tổng phí, lệ phí (đồng)"), null=True, blank=True)
    fee_summary = models.TextField(_("phí, lệ phí"), blank=True)
    components = models.JSONField(
        _("thành phần hồ sơ"), null=True, blank=True, help_text=_("Danh sách [tên, số bản]")
    )
    components_summary = models.TextField(_("tóm tắt thành phần hồ sơ"), blank=True)
    legal_bases = models.JSONField(_("số ký hiệu căn cứ pháp lý"), null=True, blank=True)
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices, null=True, blank=True
    )
    status = models.CharField(_("tình trạng"), max_length=20, choices=SOURCE_STATUS_CHOICES, null=True, blank=True)
    raw = models.JSONField(_("bản ghi gốc"), default=dict)

    class Meta:
        verbose_name = _("thủ tục theo nguồn")
        verbose_name_plural = _("thủ tục theo nguồn")
        ordering = ["snapshot", "code"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "code"], name="catalogue_one_record_per_code")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name or ''}".rstrip(" —")


class Severity(models.TextChoices):
    HIGH = "high", _("Cao")
    MEDIUM = "medium", _("Trung bình")
    LOW = "low", _("Thấp")


class FindingKind(models.TextChoices):
    MISSING = "missing", _("Thiếu")
    EXTRA = "extra", _("Thừa")
    MISMATCH = "mismatch", _("Khác nhau")


class FindingField(models.TextChoices):
    NAME = "name", _("Tên thủ tục")
    TIME_LIMIT = "time_limit", _("Thời hạn giải quyết")
    FEE = "fee", _("Phí, lệ phí")
    COMPONENTS = "components", _("Thành phần hồ sơ")
    LEGAL_BASIS = "legal_basis", _("Căn cứ pháp lý")
    ONLINE_LEVEL = "online_level", _("Mức độ trực tuyến")
    LEVEL = "level", _("Cấp thực hiện")
    AGENCY = "agency", _("Cơ quan thực hiện")
    STATUS = "status", _("Tình trạng")


class SourcePair(models.TextChoices):
    """(reference, compared) — the first source is the one the second must agree with."""

    NATIONAL_PROVINCIAL = "national:provincial", _("CSDLQG ↔ Hệ thống của tỉnh")
    NATIONAL_PORTAL = "national:portal", _("CSDLQG ↔ Cổng dịch vụ công")
    PROVINCIAL_PORTAL = "provincial:portal", _("Hệ thống của tỉnh ↔ Cổng dịch vụ công")


class Finding(models.Model):
    """A disagreement between two sources about one procedure, from detection to resolution."""

    code = models.CharField(_("mã thủ tục"), max_length=20, db_index=True)
    name = models.CharField(_("tên thủ tục"), max_length=1000, blank=True)
    kind = models.CharField(_("loại"), max_length=10, choices=FindingKind.choices)
    field = models.CharField(_("trường"), max_length=16, choices=FindingField.choices, blank=True)
    pair = models.CharField(_("cặp nguồn"), max_length=24, choices=SourcePair.choices)
    reference_value = models.TextField(_("giá trị ở nguồn đối chiếu"), blank=True)
    other_value = models.TextField(_("giá trị ở nguồn được so"), blank=True)
    severity = models.CharField(_("mức độ"), max_length=8, choices=Severity.choices)
    message = models.TextField(_("nội dung"), blank=True)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị chủ trì"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="catalogue_findings",
    )
    detected_at = models.DateTimeField(_("phát hiện lúc"))
    due_at = models.DateTimeField(_("hạn xử lý"))
    last_seen_at = models.DateTimeField(_("thấy lần cuối lúc"))
    resolved_at = models.DateTimeField(_("đã xử lý lúc"), null=True, blank=True)
    resolution_note = models.TextField(_("ghi chú xử lý"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xử lý"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Để trống khi lần kiểm tra sau tự đóng sai lệch"),
    )

    class Meta:
        verbose_name = _("sai lệch giữa các nguồn")
        verbose_name_plural = _("sai lệch giữa các nguồn")
        ordering = ["resolved_at", "due_at", "code", "id"]
        indexes = [models.Index(fields=["resolved_at", "severity"])]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "kind", "field", "pair"], condition=models.Q(resolved_at__isnull=True),
                name="catalogue_one_open_finding",
            )
        ]

    def __str__(self) -> str:
        what = self.get_field_display() if self.field else self.get_kind_display()
        return f"{self.code}: {what} ({self.get_pair_display()})"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def reference_source(self) -> str:
        return self.pair.split(":")[0]

    @property
    def other_source(self) -> str:
        return self.pair.split(":")[1]
