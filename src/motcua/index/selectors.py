"""Reads of the index for people: the items behind an indicator ("why 62 %?") and the points each open
dossier could still bring. Computed live by the engine over the live database, scoped to what the
reader may see: the provincial office every unit, an officer or a head their own unit. Without a
`user` (commands, reports built by the system) nothing is scoped."""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from motcua.catalogue.models import Procedure
from motcua.dossiers.deadlines import OPEN_STATUSES
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Petition
from motcua.index.engine import periods
from motcua.index.engine.compute import LEVEL_OF_KIND
from motcua.index.engine.drilldown import indicator_items, part_of, subtree
from motcua.index.engine.gains import ACTIONS, period_gains
from motcua.index.engine.methodology import DEFAULT_VERSION, Indicator, Methodology, get_methodology
from motcua.index.engine.scoring import score
from motcua.index.live import live_inputs
from motcua.index.services import evaluation_instant
from motcua.units.models import Unit
from motcua.units.scoping import scoped

# Why an item of the denominator is not in the numerator: what it lacks, by indicator.
MISSING = {
    "ON_TIME": _("quá hạn"),
    "DOSSIER_SYNC": _("chưa đồng bộ lên Cổng Dịch vụ công quốc gia"),
    "ONLINE_CHANNEL": _("không nộp trực tuyến"),
    "PAID_ONLINE": _("chưa thanh toán trực tuyến"),
    "E_RESULT": _("chưa có kết quả điện tử (ký số)"),
    "DIGITIZED": _("chưa số hóa thành phần hồ sơ hoặc chưa có kết quả điện tử"),
    "REUSED_DATA": _("không tái sử dụng dữ liệu đã số hóa"),
    "PERSONAL_STORE": _("không kết nối kho dữ liệu cá nhân"),
    "POPULATION_DATA_DOSSIER": _("chưa xác thực dữ liệu dân cư"),
    "DOSSIER_SATISFACTION": _("quá hạn, bị đánh giá không hài lòng hoặc bị phản ánh"),
    "ONLINE_PROCEDURES": _("chưa cung cấp dịch vụ công trực tuyến"),
    "ONLINE_SERVICES_USED": _("không phát sinh hồ sơ trực tuyến trong kỳ"),
    "FEE_PROCEDURES_PAID_ONLINE": _("không có hồ sơ thanh toán trực tuyến trong kỳ"),
    "FEE_PROCEDURES_INTEGRATED": _("chưa tích hợp thanh toán trực tuyến"),
    "POPULATION_DATA_PROCEDURE": _("không có hồ sơ sử dụng dữ liệu dân cư trong kỳ"),
    "PETITION_ON_TIME": _("quá hạn xử lý"),
    "PETITION_SATISFACTION": _("quá hạn, không được hài lòng hoặc bị phản ánh lại"),
    "PUBLISH_ON_TIME": _("công bố muộn"),
    "PUBLIC_UPDATE_ON_TIME": _("công khai muộn"),
    "PUBLIC_CONTENT_FULL": _("thiếu nội dung bắt buộc"),
    "E_CERTIFIED_COPY": _("chưa cấp bản sao điện tử được chứng thực nào"),
}


class IndexQueryError(Exception):
    """A request the index cannot answer; the message is for people (Vietnamese). `not_found`:
    the unit does not exist or the reader may not see it (a page answers 404)."""

    def __init__(self, message: str, *, not_found: bool = False):
        super().__init__(message)
        self.message, self.not_found = message, not_found


@dataclass(frozen=True)
class DrillRow:
    item_id: int
    code: str  # dossier code, procedure code, petition code
    title: str  # the procedure's name
    unit_name: str
    in_numerator: bool
    in_denominator: bool
    reason: str  # why it is not in the numerator ("" when it is)
    url: str  # its page, where there is one


@dataclass(frozen=True)
class DrillDown:
    period: periods.Period
    unit: Unit
    indicator: Indicator
    kind: str  # what the items are: "dossier", "procedure", "petition"
    as_of: datetime
    rows: tuple[DrillRow, ...]  # those outside the numerator first
    score: float | None

    @property
    def numerator(self) -> list[DrillRow]:
        return [r for r in self.rows if r.in_numerator]

    @property
    def denominator(self) -> list[DrillRow]:
        return [r for r in self.rows if r.in_denominator]

    @property
    def outside(self) -> list[DrillRow]:
        """In the denominator, not in the numerator: what costs the unit points."""
        return [r for r in self.rows if r.in_denominator and not r.in_numerator]

    @property
    def rate(self) -> float | None:
        denominator = len(self.denominator)
        return len(self.numerator) / denominator if denominator else None


@dataclass(frozen=True)
class Gain:
    dossier_code: str
    dossier_url: str
    unit_name: str
    action: str  # a key of `gains.ACTIONS`
    action_label: str
    indicator: str
    indicator_label: str
    unit_points: float  # for the dossier's own unit
    province_points: float


def _period(period_key: str) -> periods.Period:
    try:
        return periods.parse(period_key)
    except ValueError as exc:
        raise IndexQueryError(str(exc)) from None


def visible_unit(unit_id: int, user) -> Unit:
    """The unit, if `user` may see it (None: anyone may)."""
    units = Unit.objects.filter(pk=unit_id)
    unit = (units if user is None else scoped(units, user, unit_field="pk")).first()
    if unit is None:
        raise IndexQueryError(_("Không tìm thấy đơn vị %(unit)s hoặc bạn không có quyền xem đơn vị này.")
                              % {"unit": unit_id},
                              not_found=True)
    return unit


def _indicator(methodology: Methodology, code: str) -> Indicator:
    try:
        indicator = methodology.indicator(code)
    except KeyError:
        raise IndexQueryError(_("Không có chỉ số %(code)s trong phương pháp %(version)s.")
                              % {"code": code, "version": methodology.version}) from None
    if part_of(code) is None:
        raise IndexQueryError(_("Chỉ số %(code)s chưa được hệ thống đo từ dữ liệu nguồn, không có danh sách chi tiết.")
                              % {"code": code})
    return indicator


def _reason(code: str, dossier: dict | None, methodology: Methodology) -> str:
    if code == "ON_TIME" and dossier is not None:
        if dossier["supplement_count"] > methodology.max_supplement_requests:
            return str(_("yêu cầu bổ sung %(n)s lần (quá %(max)s lần)") % {
                "n": dossier["supplement_count"], "max": methodology.max_supplement_requests})
        if dossier["status"] in OPEN_STATUSES:
            return str(_("đang giải quyết, đã quá hạn"))
        return str(_("giải quyết quá hạn"))
    return str(MISSING.get(code, ""))


def _described(kind: str, ids: list[int]) -> dict[int, dict]:
    """code, title, unit name, url (and for dossiers status, supplement count) of the items."""
    if kind == "dossier":
        rows = Dossier.objects.filter(pk__in=ids).values("pk", "code", "status", "supplement_count",
                                                         title=F("procedure__name"), unit_name=F("unit__name"))
        return {r["pk"]: {**r, "url": reverse("dossiers:detail", args=[r["code"]])} for r in rows}
    if kind == "petition":
        rows = Petition.objects.filter(pk__in=ids).values("pk", "code", unit_name=F("unit__name"))
        return {r["pk"]: {**r, "title": "", "url": reverse("feedback:detail", args=[r["code"]])} for r in rows}
    if kind == "unit":  # communes (E_CERTIFIED_COPY): each with its register of certified copies
        rows = Unit.objects.filter(pk__in=ids).values("pk", "code", title=F("name"), unit_name=F("name"))
        return {r["pk"]: {**r, "url": ""} for r in rows}
    rows = Procedure.objects.filter(pk__in=ids).values("pk", "code", title=F("name"))
    return {r["pk"]: {**r, "url": ""} for r in rows}


def drill_down(period_key: str, unit_id: int, indicator_code: str, *, as_of: datetime | None = None,
               user=None, methodology_version: str = DEFAULT_VERSION) -> DrillDown:
    """The items behind `indicator_code` for the unit (its whole subtree) in the period, evaluated at
    `as_of` (default: the period's end, or now while it runs — as the snapshots are)."""
    period = _period(period_key)
    unit = visible_unit(unit_id, user)
    methodology = get_methodology(methodology_version)
    indicator = _indicator(methodology, indicator_code)
    as_of = as_of or evaluation_instant(period, timezone.now())
    inputs = live_inputs()
    ids = subtree(inputs.units, unit.pk)
    items = indicator_items(inputs, period, ids, indicator_code, as_of=as_of, methodology=methodology)
    items = items.to_pyarrow().to_pylist()
    kind = part_of(indicator_code).kind
    described = _described(kind, [r["item_id"] for r in items])
    unit_names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows = []
    for item in items:
        info = described.get(item["item_id"], {})
        rows.append(DrillRow(
            item_id=item["item_id"], code=info.get("code", str(item["item_id"])), title=info.get("title", ""),
            unit_name=info.get("unit_name") or unit_names.get(item["unit_id"], ""),
            in_numerator=item["in_numerator"], in_denominator=item["in_denominator"],
            reason="" if item["in_numerator"] else _reason(indicator_code, info if kind == "dossier" else None,
                                                           methodology),
            url=info.get("url", "")))
    rows.sort(key=lambda r: (r.in_numerator, r.unit_name, r.code))
    numerator = sum(r.in_numerator for r in rows)
    denominator = sum(r.in_denominator for r in rows)
    return DrillDown(period, unit, indicator, kind, as_of, tuple(rows),
                     score(indicator, numerator, denominator, level=LEVEL_OF_KIND[unit.kind]))


def marginal_gains(period_key: str, unit_id: int, *, user=None, now: datetime | None = None,
                   methodology_version: str = DEFAULT_VERSION) -> list[Gain]:
    """For each dossier of the unit (its subtree) still open, the points its unit and the province
    would gain by each action (finishing it on time, an electronic result, online payment), best
    first. Only a period still running can change: an ended one has none."""
    period = _period(period_key)
    unit = visible_unit(unit_id, user)
    methodology = get_methodology(methodology_version)
    inputs = live_inputs()
    gains = period_gains(inputs, period, subtree(inputs.units, unit.pk), now=now or timezone.now(),
                         methodology=methodology)
    dossiers = {d["pk"]: d for d in Dossier.objects.filter(pk__in={g.dossier_id for g in gains}).values(
        "pk", "code", unit_name=F("unit__name"))}
    return [Gain(dossier_code=dossiers[g.dossier_id]["code"],
                 dossier_url=reverse("dossiers:detail", args=[dossiers[g.dossier_id]["code"]]),
                 unit_name=dossiers[g.dossier_id]["unit_name"], action=g.action, action_label=ACTIONS[g.action],
                 indicator=g.indicator, indicator_label=gettext(methodology.indicator(g.indicator).description_vi),
                 unit_points=g.unit_points, province_points=g.province_points)
            for g in gains]
