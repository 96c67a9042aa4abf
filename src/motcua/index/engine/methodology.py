"""The index methodology as data: groups, indicators, scoring rules and rating bands.

Every number and rule of the People & Business Service Index (QĐ 766/QĐ-TTg) lives here as
configuration, never in the scoring code. A `Methodology` is immutable, carries a version, and
serialises to and from JSON so that versions can be stored (a DB table, later) and every stored
score can name the version that produced it.

`QD766_PORTAL_2026` is the methodology the National Public Service Portal computes today, as
reconstructed from its public evaluation API (see docs/spec: service-index.md) and checked
against the portal's own figures for Phú Thọ, August 2026 (tests/index/test_conformance.py).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

PROVINCE, COMMUNE = "P", "C"
LEVELS = frozenset({PROVINCE, COMMUNE})
RULES = ("lin", "thr")
ZERO_DENOMINATOR_RULES = ("zero", "full")
NOT_APPLICABLE_RULES = ("full", "zero", "none")
AGENCY_KINDS = ("province", "ministry")


@dataclass(frozen=True)
class Group:
    code: str
    name_vi: str
    max_points: float


@dataclass(frozen=True)
class Indicator:
    """One scored indicator.

    rule "lin": max × rate; rule "thr": min(max, max × rate / threshold) — full points from the
    threshold upwards. zero_denominator: what a zero (or missing) denominator scores — "zero" or
    "full" (the maximum). commune_not_applicable: what a commune scores when the indicator does
    not apply to it ("full", "zero", or "none" = not scored). portal_codes: the portal's codes for
    this indicator (metric codes, or "numerator/denominator" field names in the portal's tree files).
    """

    code: str
    group: str
    max_points: float
    scope: frozenset[str]
    rule: str
    threshold: float | None
    zero_denominator: str
    description_vi: str
    portal_codes: tuple[str, ...] = ()
    commune_not_applicable: str = "full"

    def __post_init__(self):
        object.__setattr__(self, "scope", frozenset(self.scope))
        object.__setattr__(self, "portal_codes", tuple(self.portal_codes))
        if not self.scope or not self.scope <= LEVELS:
            raise ValueError(f"{self.code}: scope must be a non-empty subset of {sorted(LEVELS)}")
        if self.rule not in RULES:
            raise ValueError(f"{self.code}: rule must be one of {RULES}, not {self.rule!r}")
        if self.rule == "thr" and not (self.threshold and 0 < self.threshold <= 1):
            raise ValueError(f"{self.code}: rule 'thr' needs a threshold in (0, 1]")
        if self.rule == "lin" and self.threshold is not None:
            raise ValueError(f"{self.code}: rule 'lin' takes no threshold")
        if self.zero_denominator not in ZERO_DENOMINATOR_RULES:
            raise ValueError(f"{self.code}: zero_denominator must be one of {ZERO_DENOMINATOR_RULES}")
        if self.commune_not_applicable not in NOT_APPLICABLE_RULES:
            raise ValueError(f"{self.code}: commune_not_applicable must be one of {NOT_APPLICABLE_RULES}")
        if self.max_points <= 0:
            raise ValueError(f"{self.code}: max_points must be positive")


@dataclass(frozen=True)
class Band:
    """A rating band: a total of at least `min_total` (and below the next band) earns the label."""

    label_vi: str
    min_total: float


@dataclass(frozen=True)
class LeadTime:
    """A lead time in working days, with its variant for ministries."""

    province: int
    ministry: int

    def for_agency(self, kind: str) -> int:
        if kind not in AGENCY_KINDS:
            raise ValueError(f"agency kind must be one of {AGENCY_KINDS}, not {kind!r}")
        return getattr(self, kind)


@dataclass(frozen=True)
class PetitionDeadlines:
    """Working days allowed for each step of handling a petition (PAKN)."""

    reject: int
    request_information: int
    answer: int
    publish_answer: int


@dataclass(frozen=True)
class Methodology:
    version: str
    source: str
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...]
    bands: tuple[Band, ...]
    # PUBLISH_ON_TIME: publication decision dated ≤ effective date of the legal basis − N working days.
    publish_lead_days: LeadTime = LeadTime(province=5, ministry=20)
    # PUBLIC_UPDATE_ON_TIME: published on the national database ≤ publication decision + N working days.
    public_update_days: LeadTime = LeadTime(province=5, ministry=10)
    petition_deadlines: PetitionDeadlines = PetitionDeadlines(
        reject=2, request_information=5, answer=15, publish_answer=2)
    # ON_TIME: a dossier with more supplement requests than this counts as overdue.
    max_supplement_requests: int = 1
    # None: indicator scores enter group totals unrounded (the spec). An integer n: each indicator
    # score is rounded half-up to n decimals before being added to its group (the portal's own
    # arithmetic: its group totals are the sums of its 2-decimal indicator scores).
    score_decimals: int | None = None
    total_max: float = field(default=100.0)
    # A unit none of whose activity indicators has a denominator had no dossier in the period: its
    # points stand, but it gets no band and no rank ("Không có dữ liệu"), instead of "Yếu" for work
    # it never had. Its other zero denominators still score by their own `zero_denominator`.
    activity_indicators: tuple[str, ...] = ("ON_TIME",)

    def __post_init__(self):
        object.__setattr__(self, "groups", tuple(self.groups))
        object.__setattr__(self, "indicators", tuple(self.indicators))
        object.__setattr__(self, "bands", tuple(sorted(self.bands, key=lambda b: -b.min_total)))
        groups = [g.code for g in self.groups]
        codes = [i.code for i in self.indicators]
        for what, seq in (("group", groups), ("indicator", codes)):
            duplicates = {c for c in seq if seq.count(c) > 1}
            if duplicates:
                raise ValueError(f"{self.version}: duplicate {what} codes {sorted(duplicates)}")
        portal = [p for i in self.indicators for p in i.portal_codes]
        if len(portal) != len(set(portal)):
            raise ValueError(f"{self.version}: a portal code maps to more than one indicator")
        for g in self.groups:
            points = sum(i.max_points for i in self.indicators if i.group == g.code)
            if abs(points - g.max_points) > 1e-9:
                raise ValueError(f"{self.version}: indicators of {g.code} add up to {points}, "
                                 f"not its maximum {g.max_points}")
        unknown = {i.group for i in self.indicators} - set(groups)
        if unknown:
            raise ValueError(f"{self.version}: indicators name unknown groups {sorted(unknown)}")
        if abs(sum(g.max_points for g in self.groups) - self.total_max) > 1e-9:
            raise ValueError(f"{self.version}: group maxima do not add up to {self.total_max}")
        if not self.bands or self.bands[-1].min_total > 0:
            raise ValueError(f"{self.version}: the lowest band must start at 0 or below")
        if self.score_decimals is not None and self.score_decimals < 0:
            raise ValueError(f"{self.version}: score_decimals must be None or ≥ 0")
        object.__setattr__(self, "activity_indicators", tuple(self.activity_indicators))
        unknown_activity = set(self.activity_indicators) - set(codes)
        if unknown_activity:
            raise ValueError(f"{self.version}: activity indicators name unknown indicators {sorted(unknown_activity)}")

    # -- look-ups ---------------------------------------------------------------------------------

    def group(self, code: str) -> Group:
        for g in self.groups:
            if g.code == code:
                return g
        raise KeyError(f"{self.version} has no group {code!r}")

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(f"{self.version} has no indicator {code!r}")

    def indicators_of(self, group: str) -> tuple[Indicator, ...]:
        self.group(group)
        return tuple(i for i in self.indicators if i.group == group)

    def indicator_for_portal_code(self, portal_code: str) -> Indicator | None:
        """Our indicator for a portal code, or None (the portal's informational metrics)."""
        for i in self.indicators:
            if portal_code in i.portal_codes or portal_code == i.code:
                return i
        return None

    # -- JSON ------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for indicator in data["indicators"]:
            indicator["scope"] = sorted(indicator["scope"])
            indicator["portal_codes"] = list(indicator["portal_codes"])
        data["activity_indicators"] = list(data["activity_indicators"])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Methodology:
        data = dict(data)
        defaults = cls.__dataclass_fields__
        return cls(
            version=data["version"],
            source=data["source"],
            groups=tuple(Group(**g) for g in data["groups"]),
            indicators=tuple(Indicator(**{**i, "scope": frozenset(i["scope"]),
                                          "portal_codes": tuple(i.get("portal_codes", ()))})
                             for i in data["indicators"]),
            bands=tuple(Band(**b) for b in data["bands"]),
            publish_lead_days=LeadTime(**data["publish_lead_days"]) if "publish_lead_days" in data
            else defaults["publish_lead_days"].default,
            public_update_days=LeadTime(**data["public_update_days"]) if "public_update_days" in data
            else defaults["public_update_days"].default,
            petition_deadlines=PetitionDeadlines(**data["petition_deadlines"]) if "petition_deadlines" in data
            else defaults["petition_deadlines"].default,
            **{k: data[k] for k in ("max_supplement_requests", "score_decimals", "total_max") if k in data},
            **({"activity_indicators": tuple(data["activity_indicators"])} if "activity_indicators" in data else {}),
        )

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> Methodology:
        return cls.from_dict(json.loads(text))

    def with_changes(self, **changes: Any) -> Methodology:
        """A modified copy (give it a new `version` if it is to be stored)."""
        return replace(self, **changes)


# -- qd766-portal-2026 ----------------------------------------------------------------------------

_PC = frozenset({PROVINCE, COMMUNE})


def _ind(code, group, max_points, rule, threshold, zero, description_vi, *portal_codes):
    return Indicator(code=code, group=group, max_points=max_points, scope=_PC, rule=rule,
                     threshold=threshold, zero_denominator=zero, description_vi=description_vi,
                     portal_codes=portal_codes)


QD766_PORTAL_2026 = Methodology(
    version="qd766-portal-2026",
    source=(
        "Quyết định 766/QĐ-TTg (23/6/2022): five groups and their maxima, from the official summaries. "
        "Indicators, maxima, rules and zero-denominator behaviour as the National Public Service Portal "
        "computes them in 2026, reconstructed from its public evaluation API by a third-party analyser "
        "(not the legal text); checked against the portal's figures for Phú Thọ, August 2026. G3a's three "
        "parts are a reconstruction (the portal publishes G3a only as a total per unit)."
    ),
    groups=(
        Group("G1", "Công khai, minh bạch", 18),
        Group("G2", "Tiến độ, kết quả giải quyết", 20),
        Group("G3a", "Dịch vụ công trực tuyến", 12),
        Group("G3b", "Thanh toán trực tuyến", 10),
        Group("G4", "Số hóa hồ sơ", 22),
        Group("G5", "Mức độ hài lòng", 18),
    ),
    indicators=(
        # G1 — publicity, transparency (18)
        _ind("PUBLISH_ON_TIME", "G1", 6, "lin", None, "zero",
             "Tỷ lệ TTHC công bố đúng hạn", "PUBLISH_ON_TIME"),
        _ind("PUBLIC_UPDATE_ON_TIME", "G1", 4, "lin", None, "zero",
             "Tỷ lệ TTHC cập nhật, công khai đúng hạn", "PUBLIC_UPDATE_ON_TIME"),
        _ind("PUBLIC_CONTENT_FULL", "G1", 2, "lin", None, "zero",
             "Tỷ lệ TTHC công khai đầy đủ nội dung", "PUBLIC_CONTENT_FULL"),
        _ind("DOSSIER_SYNC", "G1", 6, "lin", None, "zero",
             "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG", "DOSSIER_SYNC"),
        # G2 — progress: on-time processing (20)
        _ind("ON_TIME", "G2", 20, "lin", None, "zero",
             "Tỷ lệ hồ sơ giải quyết đúng hạn (kể cả hồ sơ đang giải quyết chưa đến hạn)",
             "totalOnTime/totalReceived"),
        # G3a — online public services (12); the portal publishes only the group total
        _ind("ONLINE_PROCEDURES", "G3a", 4, "thr", 0.8, "zero",
             "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến (một phần hoặc toàn trình)",
             "partialCount+fullCount/authorityCount"),
        _ind("ONLINE_CHANNEL", "G3a", 4, "thr", 0.5, "zero",
             "Tỷ lệ hồ sơ nộp trực tuyến", "channelOnlineSum/channelTotalSum"),
        _ind("ONLINE_SERVICES_USED", "G3a", 4, "lin", None, "zero",
             "Tỷ lệ dịch vụ công trực tuyến phát sinh hồ sơ trực tuyến",
             "onlineDossierCount/onlineServiceTotal"),
        # G3b — online payment (10); the portal publishes only the group total
        _ind("PAID_ONLINE", "G3b", 6, "lin", None, "zero",
             "Tỷ lệ hồ sơ có nghĩa vụ tài chính được thanh toán trực tuyến",
             "totalDossierOnlinePaymentSuccess/totalDossierFinancialObligation"),
        _ind("FEE_PROCEDURES_PAID_ONLINE", "G3b", 2, "thr", 0.8, "zero",
             "Tỷ lệ TTHC có phí, lệ phí phát sinh thanh toán trực tuyến",
             "totalDossierOnlineFormalityPaymentSuccess/totalFeeFormality"),
        _ind("FEE_PROCEDURES_INTEGRATED", "G3b", 2, "thr", 0.8, "zero",
             "Tỷ lệ TTHC có phí, lệ phí tích hợp dữ liệu phí với thanh toán trực tuyến",
             "totalFeeDossierFormality/totalFeeFormality"),
        # G4 — digitization (22)
        _ind("E_RESULT", "G4", 6, "lin", None, "zero",
             "Tỷ lệ hồ sơ TTHC có cấp kết quả giải quyết TTHC điện tử", "ORIGINAL_RESULT_AVAILABLE"),
        _ind("DIGITIZED", "G4", 4, "lin", None, "zero",
             "Tỷ lệ hồ sơ TTHC thực hiện số hóa hồ sơ", "SO_HOA_GIAY_TO_GIAI_QUYET"),
        _ind("E_CERTIFIED_COPY", "G4", 2, "lin", None, "full",
             "Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính", "ELECTRONIC_CERTIFIED_COPY"),
        _ind("REUSED_DATA", "G4", 2, "thr", 0.8, "zero",
             "Tỷ lệ hồ sơ khai thác, sử dụng lại thông tin, dữ liệu số hóa", "REUSED_DIGITIZED_DATA"),
        _ind("PERSONAL_STORE", "G4", 4, "lin", None, "zero",
             "Tỷ lệ hồ sơ TTHC được số hóa có kết nối, chia sẻ dữ liệu với kho quản lý dữ liệu cá nhân",
             "SYNCED_WITH_DVCQG_PERSONAL_STORAGE"),
        _ind("POPULATION_DATA_DOSSIER", "G4", 2, "lin", None, "zero",
             "Tỷ lệ hồ sơ TTHC có sử dụng thông tin, dữ liệu dân cư", "CITIZEN_DATA_CONNECTED_DOSSIER"),
        _ind("POPULATION_DATA_PROCEDURE", "G4", 2, "lin", None, "zero",
             "Tỷ lệ TTHC triển khai kết nối, chia sẻ dữ liệu dân cư phục vụ giải quyết TTHC",
             "CITIZEN_DATA_CONNECTED_FORMALITY"),
        # G5 — satisfaction (18)
        _ind("PETITION_ON_TIME", "G5", 6, "lin", None, "full",
             "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn", "PETITION_PROCESSING_ON_TIME"),
        _ind("PETITION_SATISFACTION", "G5", 6, "lin", None, "full",
             "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị", "PETITION_HANDLING_SATISFACTION"),
        _ind("DOSSIER_SATISFACTION", "G5", 6, "thr", 0.9, "zero",
             "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC", "DOSSIER_RECEIVING_SATISFACTION"),
    ),
    bands=(
        Band("Xuất sắc", 90),
        Band("Tốt", 80),
        Band("Khá", 70),
        Band("Trung bình", 50),
        Band("Yếu", 0),
    ),
)

_REGISTRY: dict[str, Methodology] = {QD766_PORTAL_2026.version: QD766_PORTAL_2026}
DEFAULT_VERSION = QD766_PORTAL_2026.version


def register(methodology: Methodology) -> Methodology:
    """Make a methodology (e.g. one loaded from the database) available by its version.

    A version names one set of rules for good: registering different rules under a known version
    is refused.
    """
    known = _REGISTRY.get(methodology.version)
    if known is not None and known != methodology:
        raise ValueError(f"methodology {methodology.version!r} is already registered with other rules")
    _REGISTRY[methodology.version] = methodology
    return methodology


def get_methodology(version: str = DEFAULT_VERSION) -> Methodology:
    try:
        return _REGISTRY[version]
    except KeyError:
        raise KeyError(f"unknown methodology version {version!r}; known: {sorted(_REGISTRY)}") from None
