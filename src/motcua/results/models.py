"""Signing identities, signed documents (results and certified copies) and the register of
certified copies."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentitySource(models.TextChoices):
    TEST_CA = "test_ca", _("CA thử nghiệm cục bộ")
    PKCS12 = "pkcs12", _("Nhập từ tệp PKCS#12")


class SigningIdentity(models.Model):
    """A unit's signing certificate; its private key is a file in MOTCUA_KEY_DIR (`key_name`)."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                             related_name="signing_identities")
    source = models.CharField(_("nguồn"), max_length=10, choices=IdentitySource.choices)
    key_name = models.CharField(_("tên khóa trong thư mục khóa"), max_length=100, unique=True)
    subject = models.CharField(_("chủ thể"), max_length=300)
    issuer = models.CharField(_("tổ chức cấp"), max_length=300)
    serial = models.CharField(_("số hiệu chứng thư"), max_length=64)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chứng thư số của đơn vị")
        verbose_name_plural = _("chứng thư số của đơn vị")
        constraints = [models.UniqueConstraint(fields=["unit"], condition=models.Q(active=True),
                                               name="one_active_identity_per_unit")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.serial[:12]})"


class DocumentKind(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết")
    CERTIFIED_COPY = "certified_copy", _("Bản sao điện tử được chứng thực")


class SignedDocument(models.Model):
    """A signed PDF the system issued; `code` is printed as a QR leading to /verify/<code>/."""

    code = models.CharField(_("mã xác thực"), max_length=16, unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("tên văn bản"), max_length=1000)
    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                related_name="signed_documents")
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị ký"), on_delete=models.PROTECT, related_name="+")
    identity = models.ForeignKey(SigningIdentity, verbose_name=_("chứng thư"), on_delete=models.PROTECT,
                                 related_name="documents")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người ký"), on_delete=models.PROTECT,
                                  related_name="+")
    signed_at = models.DateTimeField(_("thời điểm ký"))
    path = models.CharField(max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("văn bản đã ký số")
        verbose_name_plural = _("văn bản đã ký số")
        ordering = ["-signed_at"]
        constraints = [models.UniqueConstraint(fields=["dossier"], condition=models.Q(kind="result"),
                                               name="one_signed_result_per_dossier")]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class CertifiedCopy(models.Model):
    """One entry of a commune's register of certified copies (sổ chứng thực bản sao): the paper
    copies and the electronic copy issued from one original in one certification dossier."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("xã, phường"), on_delete=models.PROTECT,
                             related_name="certified_copies")
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số chứng thực"))
    dossier = models.OneToOneField("dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                   related_name="certified_copy")
    document = models.OneToOneField(SignedDocument, verbose_name=_("bản sao điện tử"), on_delete=models.PROTECT,
                                    related_name="certified_copy")
    original_name = models.CharField(_("tên giấy tờ bản chính"), max_length=300)
    certified_on = models.DateField(_("ngày chứng thực"))
    pages = models.PositiveIntegerField(_("số trang"))
    paper_copies = models.PositiveIntegerField(_("số bản giấy"))
    fee_vnd = models.PositiveBigIntegerField(_("lệ phí (đồng)"))
    certifier = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người chứng thực"),
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("sổ chứng thực bản sao")
        verbose_name_plural = _("sổ chứng thực bản sao")
        ordering = ["unit", "year", "number"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "number"], name="one_copy_number_per_year")]

    def __str__(self) -> str:
        return self.book_number

    @property
    def book_number(self) -> str:
        return book_number(self.number, self.year)


def book_number(number: int, year: int) -> str:
    """Số chứng thực as written on the statement and in the register: 12/2026-SCT/BS."""
    return f"{number}/{year}-SCT/BS"


class JobState(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    RENDERING = "rendering", _("Đang lập dự thảo")
    SIGNING = "signing", _("Đang ký số")
    SIGNED = "signed", _("Đã ký số")
    FAILED = "failed", _("Lỗi, đang thử lại")
    GAVE_UP = "gave_up", _("Lỗi, cần xử lý")


class DocumentJob(models.Model):
    """The making of a dossier's document result off the request path: the draft rendered (unless
    uploaded), then — once the head approved — signed and issued by the worker (`results.jobs`).
    One per dossier, and its signed document is one: a result is never signed twice."""

    dossier = models.OneToOneField("dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                   related_name="document_job")
    state = models.CharField(_("trạng thái"), max_length=10, choices=JobState.choices, default=JobState.WAITING)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người hoàn thành"),
                                     on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(_("thời điểm hoàn thành"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("lãnh đạo duyệt ký"),
                                    on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    approved_at = models.DateTimeField(_("thời điểm duyệt ký"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần chạy"), default=0)
    claimed_until = models.DateTimeField(_("đang chạy đến"), null=True, blank=True)
    error = models.TextField(_("lỗi gần nhất"), blank=True)
    document = models.OneToOneField(SignedDocument, verbose_name=_("văn bản đã ký"), on_delete=models.PROTECT,
                                    related_name="job", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("việc lập và ký kết quả")
        verbose_name_plural = _("việc lập và ký kết quả")
        constraints = [models.CheckConstraint(condition=~models.Q(state="signed") | models.Q(document__isnull=False),
                                              name="signed_job_has_its_document")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.state}"
