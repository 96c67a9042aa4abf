"""Dossiers (hồ sơ), their component files and the append-only, hash-chained event log."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.transitions import ACTION_LABELS, Status


# Choices as plain values (not the enum members of the pure `transitions`), so that migrations
# hold the values and never import the state machine.
STATUS_CHOICES = [(status.value, label) for status, label in [
    (Status.SUBMITTED_ONLINE, _("Mới đăng ký")),
    (Status.RECEIVED, _("Được tiếp nhận")),
    (Status.REFUSED, _("Không được tiếp nhận")),
    (Status.IN_PROCESS, _("Đang xử lý")),
    (Status.SUPPLEMENT_REQUESTED, _("Yêu cầu bổ sung")),
    (Status.PAYMENT_REQUESTED, _("Yêu cầu thực hiện nghĩa vụ tài chính")),
    (Status.WITHDRAWN, _("Công dân rút hồ sơ")),
    (Status.STOPPED, _("Dừng xử lý")),
    (Status.PROCESSED, _("Đã xử lý xong")),
    (Status.RETURNED, _("Đã trả kết quả")),
]]
ACTION_CHOICES = [(action.value, label) for action, label in ACTION_LABELS.items()]


class Channel(models.TextChoices):
    DIRECT = "direct", _("Trực tiếp")
    POSTAL = "postal", _("Bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")


class ApplicantKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class PaymentChannel(models.TextChoices):
    NATIONAL_PLATFORM = "national", _("Nền tảng thanh toán quốc gia")
    PROVINCE_GATEWAY = "province", _("Cổng thanh toán của tỉnh")
    CASH = "cash", _("Tiền mặt tại quầy")


ONLINE_PAYMENT_CHANNELS = (PaymentChannel.NATIONAL_PLATFORM, PaymentChannel.PROVINCE_GATEWAY)


class DeadlineState(models.TextChoices):
    ON_TRACK = "on_track", _("Trong hạn")
    AT_RISK = "at_risk", _("Sắp quá hạn")
    OVERDUE = "overdue", _("Quá hạn")


class Dossier(models.Model):
    """A dossier. Its status changes only through `dossiers.services.transition`.

    The time columns are facts copied from events so that the index can read them in bulk;
    the event log stays the record they come from.
    """

    code = models.CharField(_("mã hồ sơ"), max_length=50, unique=True)  # identifier (≤ 35) + -YYMMDD-XXXX
    procedure = models.ForeignKey("catalogue.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT)
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT, related_name="dossiers")
    received_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("đơn vị tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    # Reception regardless of administrative boundary (Decree 118/2025/NĐ-CP): `received_unit` is the
    # one-stop point that received the dossier, `unit` the unit that resolves it, `return_unit` where
    # the applicant collects the result (empty: at the receiving point).
    return_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("nơi trả kết quả"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Để trống: trả tại nơi tiếp nhận"))
    applicant_kind = models.CharField(_("loại chủ hồ sơ"), max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("chủ hồ sơ"), max_length=200)
    applicant_id = models.CharField(_("số định danh / mã số thuế"), max_length=20, db_index=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    population_verified = models.BooleanField(_("đã xác thực CSDL dân cư"), default=False)

    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices)
    status = models.PositiveSmallIntegerField(
        _("trạng thái"), choices=STATUS_CHOICES, db_index=True
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True, db_index=True)
    appointment_at = models.DateTimeField(_("ngày hẹn trả (ban đầu)"), null=True, blank=True)
    current_appointment_at = models.DateTimeField(_("ngày hẹn trả hiện tại"), null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    supplement_requested_at = models.DateTimeField(_("yêu cầu bổ sung lúc"), null=True, blank=True)
    supplement_received_at = models.DateTimeField(_("nhận bổ sung lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ngày xử lý xong"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ngày kết thúc khác"), null=True, blank=True,
                                     help_text=_("Từ chối, rút, dừng xử lý"))

    current_step = models.ForeignKey(
        "catalogue.ProcessStep", verbose_name=_("bước hiện tại"), null=True, blank=True, on_delete=models.PROTECT
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xử lý"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="assigned_dossiers",
    )
    step_deadline_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)

    fee_total_vnd = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    payment_channel = models.CharField(_("hình thức thanh toán"), max_length=10, choices=PaymentChannel.choices, blank=True)

    result_file = models.CharField(_("tệp kết quả"), max_length=300, blank=True)
    result_sha256 = models.CharField(_("SHA-256 kết quả"), max_length=64, blank=True)
    result_signed = models.BooleanField(_("kết quả có chữ ký số"), default=False)
    result_paper = models.BooleanField(_("có kết quả giấy"), default=False)
    result_to_personal_store = models.BooleanField(_("đã đẩy vào kho dữ liệu cá nhân"), default=False)

    synced_national = models.BooleanField(_("đã đồng bộ Cổng DVC quốc gia"), default=False)
    deadline_state = models.CharField(_("tình trạng thời hạn"), max_length=10, choices=DeadlineState.choices,
                                      default=DeadlineState.ON_TRACK, db_index=True,
                                      help_text=_("Do việc quét thời hạn ghi; không phải trạng thái hồ sơ"))
    event_head_hash = models.CharField(_("băm sự kiện cuối"), max_length=64, blank=True)
    last_event_at = models.DateTimeField(_("thao tác cuối lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo bản ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["unit", "received_at"])]

    def __str__(self) -> str:
        return self.code

    @property
    def return_point_id(self) -> int:
        """The unit whose desk hands the result over: the applicant's choice, else the receiving point."""
        return self.return_unit_id or self.received_unit_id

    @property
    def received_for_another_unit(self) -> bool:
        return self.received_unit_id != self.unit_id

    @property
    def paid_online(self) -> bool:
        return self.paid_at is not None and self.payment_channel in ONLINE_PAYMENT_CHANNELS


class DossierCodeCounter(models.Model):
    """The 4-digit sequence of the day behind `<unit code>-<yymmdd>-<nnnn>`."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="one_counter_per_unit_day")]


class DossierComponent(models.Model):
    """One component (thành phần hồ sơ) of a dossier: digitized at reception or reused."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    catalogue_component = models.ForeignKey(
        "catalogue.Component", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên giấy tờ"), max_length=300)
    digitized = models.BooleanField(_("đã số hóa"), default=False)
    reused = models.BooleanField(_("tái sử dụng dữ liệu số hóa"), default=False)
    from_personal_store = models.BooleanField(_("lấy từ kho dữ liệu cá nhân"), default=False)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class ComponentFile(models.Model):
    """A stored file. Files are content-addressed (by SHA-256), so one is never overwritten."""

    component = models.ForeignKey(DossierComponent, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    original_name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")


class AppendOnlyError(Exception):
    pass


class AppendOnly(models.Model):
    """Rows written once: the model refuses to change or delete them (the database user still can,
    which is what the keyed chain and the timestamped checkpoints detect)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(f"{str(self._meta.verbose_name).capitalize()} không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{str(self._meta.verbose_name).capitalize()} không được xóa.")


class DossierEvent(AppendOnly):
    """An append-only record of one action on a dossier; `hash` chains it to the previous one
    (HMAC under the key `key_id` of `MOTCUA_EVENT_KEYS`, see events.py)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("số thứ tự"))
    action = models.CharField(_("thao tác"), max_length=30, choices=ACTION_CHOICES)
    from_status = models.PositiveSmallIntegerField(_("từ trạng thái"), choices=STATUS_CHOICES, null=True, blank=True)
    to_status = models.PositiveSmallIntegerField(_("sang trạng thái"), choices=STATUS_CHOICES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(_("vai trò"), max_length=20)
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"))
    reason = models.TextField(_("lý do"), blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    prev_hash = models.CharField(_("băm sự kiện trước"), max_length=64, blank=True)
    hash = models.CharField(_("băm"), max_length=64)
    key_id = models.CharField(_("mã khóa"), max_length=16, help_text=_("Khóa HMAC của liên kết; «legacy»: trước khi có khóa"))
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="one_event_per_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()}"


class EventCheckpoint(AppendOnly):
    """A timestamped checkpoint of the event chains: the heads that moved since the previous
    checkpoint (all of them in the first), chained to it by `digest`, which the TSA timestamped
    (RFC 3161). Kept apart from the events so a rewrite of the log has to forge the TSA too."""

    prev_digest = models.CharField(_("băm mốc trước"), max_length=64, blank=True, unique=True,
                                   help_text=_("Mỗi mốc chỉ có một mốc kế tiếp"))
    digest = models.CharField(_("băm mốc"), max_length=64, unique=True)
    token = models.BinaryField(_("dấu thời gian RFC 3161"))
    timestamped_at = models.DateTimeField(_("thời điểm theo dấu thời gian"))
    head_count = models.PositiveIntegerField(_("số đầu chuỗi"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("mốc thời gian nhật ký sự kiện")
        verbose_name_plural = _("mốc thời gian nhật ký sự kiện")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.timestamped_at:%Y-%m-%d %H:%M}"


class EventCheckpointHead(AppendOnly):
    """The head (last event) of one dossier's chain at a checkpoint."""

    checkpoint = models.ForeignKey(EventCheckpoint, on_delete=models.PROTECT, related_name="heads")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField(_("số thứ tự sự kiện cuối"))
    hash = models.CharField(_("băm sự kiện cuối"), max_length=64)

    class Meta:
        verbose_name = _("đầu chuỗi tại mốc")
        verbose_name_plural = _("đầu chuỗi tại mốc")
        constraints = [models.UniqueConstraint(fields=["checkpoint", "dossier"], name="one_head_per_checkpoint")]
        indexes = [models.Index(fields=["dossier", "seq"])]


class DelayReport(models.Model):
    """Văn bản xin lỗi và hẹn lại: filed before a dossier goes late. The original appointment stays
    on the dossier for the index; the new one is recorded here."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="delay_reports")
    reason = models.TextField(_("lý do chậm"))
    cause = models.TextField(_("nguyên nhân"))
    remedy = models.TextField(_("biện pháp khắc phục"))
    new_appointment_at = models.DateTimeField(_("ngày hẹn trả mới"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT,
                                 related_name="+")
    filed_at = models.DateTimeField(_("lập lúc"))
    apology_slip = models.CharField(_("phiếu xin lỗi (Mẫu 04)"), max_length=300, blank=True)
    form_version = models.CharField(_("phiên bản mẫu"), max_length=12,
                                    help_text=_("Bộ biểu mẫu phiếu được lập theo, ví dụ TT03/2025"))
    sent_via = models.CharField(_("gửi qua"), max_length=10, choices=Channel.choices, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo chậm và phiếu xin lỗi")
        verbose_name_plural = _("báo cáo chậm và phiếu xin lỗi")
        ordering = ["-filed_at"]


class OutboxMessage(models.Model):
    """A status change waiting to reach the national portal: one per event, so nothing is sent twice."""

    event = models.OneToOneField(DossierEvent, on_delete=models.PROTECT, related_name="outbox")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField(_("dữ liệu gửi"))
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("được xác nhận lúc"), null=True, blank=True, db_index=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("hàng đợi đồng bộ quốc gia")
        verbose_name_plural = _("hàng đợi đồng bộ quốc gia")
        ordering = ["id"]


class PersonalDocument(models.Model):
    """The applicant's store of digitized documents (kho dữ liệu cá nhân), keyed by their
    identification number: components to reuse, results pushed after processing."""

    owner_id = models.CharField(_("số định danh chủ sở hữu"), max_length=20, db_index=True)
    name = models.CharField(_("tên giấy tờ"), max_length=300)
    path = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    document_type = models.ForeignKey("catalogue.DocumentType", verbose_name=_("loại giấy tờ"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    source_dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_result = models.BooleanField(_("là kết quả giải quyết"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu cá nhân")
        verbose_name_plural = _("kho dữ liệu cá nhân")

    def __str__(self) -> str:
        return self.name


class ReuseConsent(models.TextChoices):
    """How the owner agreed to the reuse of a document of their store."""

    PRESENT = "present", _("Công dân có mặt tại quầy và đồng ý (cán bộ tiếp nhận xác nhận)")
    ONLINE = "online", _("Công dân đồng ý khi nộp hồ sơ trực tuyến")


class DocumentAccess(models.Model):
    """One use of a document of an applicant's store for a dossier: who, for which dossier and
    component, why, under which consent and when. Append-only; the owner sees it when following
    the dossier."""

    document = models.ForeignKey(PersonalDocument, verbose_name=_("giấy tờ"), on_delete=models.PROTECT,
                                 related_name="accesses")
    dossier = models.ForeignKey(Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                related_name="document_accesses")
    component = models.ForeignKey(DossierComponent, verbose_name=_("thành phần"), on_delete=models.PROTECT,
                                  related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                help_text=_("Trống khi chính công dân dùng lại lúc nộp trực tuyến"))
    unit = models.ForeignKey("units.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    consent = models.CharField(_("sự đồng ý"), max_length=10, choices=ReuseConsent.choices)
    purpose = models.CharField(_("mục đích"), max_length=500)
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("lượt dùng giấy tờ trong kho dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký dùng kho dữ liệu cá nhân")
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Nhật ký dùng giấy tờ không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Nhật ký dùng giấy tờ không được xóa.")


class PopulationCheck(models.Model):
    """One look-up of an applicant in the National Population Database (or its local stand-in)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="population_checks")
    checked_at = models.DateTimeField(_("tra cứu lúc"))
    matched = models.BooleanField(_("khớp dữ liệu"))
    source = models.CharField(_("nguồn"), max_length=40)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        verbose_name = _("tra cứu CSDL quốc gia về dân cư")
        verbose_name_plural = _("tra cứu CSDL quốc gia về dân cư")
