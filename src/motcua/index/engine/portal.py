"""Reader for the National Public Service Portal's evaluation API responses (dichvucong.gov.vn).

One response per index group, each shaped differently:

- transparency (G1), dossier-digitized (G4), handling-satisfaction (G5): `data.overview` (the
  province row) and `data.evaluation` (its units), each with `metrics`: code, numerator,
  denominator, ratio (%), score, maxScore. G5 also lists informational metrics of maximum 0
  (PETITION_CLASSIFICATION_*) that score nothing.
- dvc-progress-tree (G2): `data.parent` and `data.children` with totalOnTime / totalReceived and the
  unit's score (`totalScore` on the parent, `score` on children).
- provide-online-tree (G3a): only the group total per unit; the parent row alone carries the counts
  behind it (authorityCount, partialCount, fullCount, channel*Sum, onlineDossierCount, …).
- formality-online-payment-tree (G3b): counts per unit and the group total, no per-indicator score.

Tree files have no metric codes; their metrics are named "numerator/denominator" after the fields
(e.g. "totalOnTime/totalReceived"). Portal codes map to our indicator codes through
`Indicator.portal_codes` of the methodology.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from motcua.index.engine.methodology import COMMUNE, PROVINCE, QD766_PORTAL_2026, Methodology

ENDPOINT_GROUPS = {
    "transparency": "G1",
    "dvc-progress-tree": "G2",
    "provide-online-tree": "G3a",
    "formality-online-payment-tree": "G3b",
    "dossier-digitized": "G4",
    "handling-satisfaction": "G5",
}
# Tree files: (numerator fields, denominator field) of each metric; the code is "a+b/c".
TREE_METRICS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "dvc-progress-tree": ((("totalOnTime",), "totalReceived"),),
    "provide-online-tree": (
        (("partialCount", "fullCount"), "authorityCount"),
        (("channelOnlineSum",), "channelTotalSum"),
        (("onlineDossierCount",), "onlineServiceTotal"),
    ),
    "formality-online-payment-tree": (
        (("totalDossierOnlinePaymentSuccess",), "totalDossierFinancialObligation"),
        (("totalDossierOnlineFormalityPaymentSuccess",), "totalFeeFormality"),
        (("totalFeeDossierFormality",), "totalFeeFormality"),
    ),
}
# The month's capture of each group; a damaged capture is replaced by its salvaged records.
MONTH_FILES = ("month-all.json", "month-all.salvaged.json")


@dataclass(frozen=True)
class PortalUnit:
    id: str
    name: str
    code: str | None  # e.g. "H44.03"; absent from some files
    kind: str | None  # PROVINCE, PROVINCIAL_DEPARTMENT, COMMUNE_PEOPLE_COMMITTEE (absent from tree files)
    portal_level: str  # PROVINCE or COMMUNE
    is_root: bool  # the province row

    @property
    def level(self) -> str:
        """Our scope level: "C" for commune-level units, "P" for the province and its departments."""
        return COMMUNE if self.portal_level == "COMMUNE" else PROVINCE


@dataclass(frozen=True)
class PortalMetric:
    group: str
    unit: PortalUnit
    portal_code: str
    indicator: str | None  # our code; None for the portal's informational metrics
    numerator: float | None
    denominator: float | None
    rate: float | None  # the portal's ratio, in percent, 2 decimals
    score: float | None  # the portal's score, 2 decimals; None: null, or not published per indicator
    max_score: float | None
    name_vi: str | None = None


@dataclass(frozen=True)
class PortalRow:
    """One unit's row of one group file: the portal's group total and the metrics behind it."""

    group: str
    unit: PortalUnit
    score: float | None
    max_score: float | None
    metrics: tuple[PortalMetric, ...]
    per_indicator_scores: bool  # False where the portal publishes only the group total (G3a, G3b)


def read_file(path: str | Path, endpoint: str | None = None,
              methodology: Methodology = QD766_PORTAL_2026) -> list[PortalRow]:
    """The rows of one capture, province row first. The endpoint defaults to the folder's name."""
    path = Path(path)
    endpoint = endpoint or path.parent.name
    if endpoint not in ENDPOINT_GROUPS:
        raise ValueError(f"{path}: unknown endpoint {endpoint!r}; known: {sorted(ENDPOINT_GROUPS)}")
    envelope = json.loads(path.read_text(encoding="utf-8"))
    if envelope.get("code") != "OK" or not isinstance(envelope.get("data"), dict):
        raise ValueError(f"{path}: not a successful evaluation response")
    data = envelope["data"]
    group = ENDPOINT_GROUPS[endpoint]
    if endpoint in TREE_METRICS:
        rows = [(data["parent"], True)] + [(child, False) for child in data["children"]]
        return [_tree_row(endpoint, group, record, root, methodology) for record, root in rows]
    rows = [(data["overview"], True)] + [(unit, False) for unit in data["evaluation"]]
    return [_metrics_row(group, record, root, methodology) for record, root in rows]


def find_month_file(folder: str | Path, endpoint: str) -> Path:
    for name in MONTH_FILES:
        candidate = Path(folder) / endpoint / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no {' or '.join(MONTH_FILES)} under {Path(folder) / endpoint}")


def read_directory(folder: str | Path, methodology: Methodology = QD766_PORTAL_2026) -> dict[str, list[PortalRow]]:
    """Every group's rows from a capture folder (e.g. tests/data/portal-2026-08), by group code."""
    return {group: read_file(find_month_file(folder, endpoint), endpoint, methodology)
            for endpoint, group in ENDPOINT_GROUPS.items()}


# -- the two shapes -------------------------------------------------------------------------------

def _unit(record: dict[str, Any], root: bool) -> PortalUnit:
    level = record.get("departmentLevel") or record.get("level") or ("PROVINCE" if root else None)
    if level not in ("PROVINCE", "COMMUNE"):
        raise ValueError(f"unit {record.get('departmentName')!r}: unknown level {level!r}")
    return PortalUnit(id=record["departmentId"], name=record["departmentName"], code=record.get("departmentCode"),
                      kind=record.get("departmentType") or ("PROVINCE" if root else None),
                      portal_level=level, is_root=root)


def _code_of(methodology: Methodology, portal_code: str) -> str | None:
    indicator = methodology.indicator_for_portal_code(portal_code)
    return indicator.code if indicator else None


def _metrics_row(group: str, record: dict[str, Any], root: bool, methodology: Methodology) -> PortalRow:
    unit = _unit(record, root)
    metrics = []
    for m in record["metrics"]:
        code = _code_of(methodology, m["code"])
        if code is None and m.get("maxScore"):
            raise ValueError(f"unit {unit.name!r}: scored portal metric {m['code']!r} maps to no indicator")
        if code is not None and methodology.indicator(code).group != group:
            raise ValueError(f"portal metric {m['code']!r} maps to {code}, outside {group}")
        metrics.append(PortalMetric(group=group, unit=unit, portal_code=m["code"], indicator=code,
                                    numerator=m.get("numerator"), denominator=m.get("denominator"),
                                    rate=m.get("ratio"), score=m.get("score"), max_score=m.get("maxScore"),
                                    name_vi=m.get("name")))
    return PortalRow(group=group, unit=unit, score=record.get("totalScore"), max_score=record.get("totalMaxScore"),
                     metrics=tuple(metrics), per_indicator_scores=True)


def _tree_row(endpoint: str, group: str, record: dict[str, Any], root: bool, methodology: Methodology) -> PortalRow:
    unit = _unit(record, root)
    row_score = record["totalScore"] if "totalScore" in record else record.get("score")
    row_max = record["totalMaxScore"] if "totalMaxScore" in record else record.get("maxScore")
    specs = TREE_METRICS[endpoint]
    single = len(specs) == 1  # a one-indicator group: the unit's score is the indicator's score
    metrics = []
    for numerators, denominator in specs:
        if denominator not in record or any(n not in record for n in numerators):
            continue  # G3a children: totals only
        portal_code = "+".join(numerators) + "/" + denominator
        code = _code_of(methodology, portal_code)
        if code is None:
            raise ValueError(f"portal metric {portal_code!r} maps to no indicator of {methodology.version}")
        metrics.append(PortalMetric(
            group=group, unit=unit, portal_code=portal_code, indicator=code,
            numerator=sum(record[n] for n in numerators), denominator=record[denominator],
            rate=record.get("ratio") if single else None, score=row_score if single else None,
            max_score=row_max if single else None))
    return PortalRow(group=group, unit=unit, score=row_score, max_score=row_max, metrics=tuple(metrics),
                     per_indicator_scores=single)
