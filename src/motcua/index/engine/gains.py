"""Marginal gains: the points one more item in an indicator's numerator is worth, and what each open
dossier could still bring its unit and the province (no Django: scoring over facts and item rows).

`indicator_gain` scores the indicator before and after moving items of its denominator into its
numerator, with the methodology's own rules (linear or threshold, commune rules, the zero-denominator
rule, the portal's rounding when the methodology asks for it): a unit's total is the sum of its
indicator scores, so the difference is the points the unit gains.

`open_dossier_gains` applies it to the dossiers still open at a period's end (the facts evaluated
there, as if nothing more happened). Each action moves the dossier into the numerator of the
indicators it concerns; where the dossier would first enter the denominator by being finished in
the period (E_RESULT, DOSSIER_SATISFACTION count finished dossiers), the gain is that of an item
entering the denominator in the numerator rather than outside it:

* finish on time (only while it can: not overdue at the time of evaluation): ON_TIME, when it
  would be overdue at the period's end; DOSSIER_SATISFACTION, unless rated unsatisfied or named by
  a petition;
* give an electronic result (a procedure whose result is a document, not signed yet): E_RESULT;
  DIGITIZED, when its components are digitized and it was received in the period;
* have it paid online (fee-bearing, not paid online, received in the period): PAID_ONLINE;
  FEE_PROCEDURES_PAID_ONLINE, when its procedure has no dossier paid online in the period yet.
"""
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from motcua.index.engine.compute import LEVEL_OF_KIND
from motcua.index.engine.drilldown import of_units
from motcua.index.engine.facts import dossier_items, procedure_items, unit_facts
from motcua.index.engine.inputs import Inputs
from motcua.index.engine.methodology import Methodology
from motcua.index.engine.periods import Period
from motcua.index.engine.scoring import round_half_up, score
from motcua.index.engine.worktime import OfficePeriods

FINISH_ON_TIME, E_RESULT, PAID_ONLINE = "finish_on_time", "e_result", "paid_online"
ACTIONS = {FINISH_ON_TIME: "Giải quyết đúng hạn", E_RESULT: "Cấp kết quả điện tử", PAID_ONLINE: "Thanh toán trực tuyến"}
NEGLIGIBLE = 1e-9
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class DossierGain:
    dossier_id: int
    unit_id: int
    action: str  # a key of ACTIONS
    indicator: str
    unit_points: float  # what the dossier's own unit gains
    province_points: float


def _points(methodology: Methodology, code: str, kind: str, numerator: int, denominator: int) -> float:
    value = score(methodology.indicator(code), numerator, denominator, level=LEVEL_OF_KIND[kind])
    if value is None:
        return 0.0
    return value if methodology.score_decimals is None else round_half_up(value, methodology.score_decimals)


def indicator_gain(methodology: Methodology, kind: str, facts: Mapping[str, int], indicator_code: str, *,
                   converted: int = 1) -> float:
    """Points a unit of `kind` gains when `converted` items of the indicator's denominator move into
    its numerator (at most those outside it). `facts` holds `<CODE>_num` and `<CODE>_den`."""
    if converted < 0:
        raise ValueError(f"số hồ sơ chuyển vào tử số phải ≥ 0, không phải {converted}")
    numerator = int(facts.get(f"{indicator_code}_num", 0))
    denominator = int(facts.get(f"{indicator_code}_den", 0))
    moved = min(converted, max(denominator - numerator, 0))
    return (_points(methodology, indicator_code, kind, numerator + moved, denominator)
            - _points(methodology, indicator_code, kind, numerator, denominator))


def _entering(facts: Mapping[str, int], code: str, already_counted: bool) -> Mapping[str, int]:
    """The facts with the item in the indicator's denominator (where it is not yet)."""
    if already_counted:
        return facts
    return {**facts, f"{code}_den": int(facts.get(f"{code}_den", 0)) + 1}


def _moves(dossier: Mapping, procedure: Mapping | None) -> list[tuple[str, str, bool]]:
    """(action, indicator, whether the dossier is in that indicator's denominator already)."""
    moves = []
    if dossier["on_time_now"]:
        if not dossier["ON_TIME_num"]:
            moves.append((FINISH_ON_TIME, "ON_TIME", True))
        if not dossier["dissatisfied"]:
            moves.append((FINISH_ON_TIME, "DOSSIER_SATISFACTION", bool(dossier["DOSSIER_SATISFACTION_den"])))
    if dossier["document"] and not dossier["signed"]:
        moves.append((E_RESULT, "E_RESULT", bool(dossier["E_RESULT_den"])))
        if dossier["components_digitized"] and dossier["DIGITIZED_den"] and not dossier["DIGITIZED_num"]:
            moves.append((E_RESULT, "DIGITIZED", True))
    if dossier["PAID_ONLINE_den"] and not dossier["PAID_ONLINE_num"]:
        moves.append((PAID_ONLINE, "PAID_ONLINE", True))
        unused = procedure is not None and not procedure["FEE_PROCEDURES_PAID_ONLINE_num"]
        if unused and procedure["FEE_PROCEDURES_PAID_ONLINE_den"]:
            moves.append((PAID_ONLINE, "FEE_PROCEDURES_PAID_ONLINE", True))
    return moves


def open_dossier_gains(methodology: Methodology, dossiers: Iterable[Mapping], facts: Mapping[int, Mapping[str, int]],
                       kinds: Mapping[int, str], province_id: int,
                       procedures: Mapping[tuple[int, int], Mapping] | None = None) -> list[DossierGain]:
    """The gains of each open dossier, best first (points for its unit, then for the province).

    `dossiers`: rows of `facts.dossier_items` at the period's end (`open_at_end` ones count), each
    with `on_time_now`: its ON_TIME verdict at the time of evaluation (it can still finish on time).
    `facts`: `unit_facts` rows at the period's end by unit id; `kinds`: unit kinds by id;
    `procedures`: rows of `facts.procedure_items` by (unit_id, procedure_id)."""
    gains = []
    for dossier in dossiers:
        if not dossier["open_at_end"]:
            continue
        unit = dossier["unit_id"]
        procedure = (procedures or {}).get((unit, dossier["procedure_id"]))
        for action, code, counted in _moves(dossier, procedure):
            unit_points = indicator_gain(methodology, kinds[unit], _entering(facts.get(unit, {}), code, counted), code)
            province_points = indicator_gain(methodology, kinds[province_id],
                                             _entering(facts.get(province_id, {}), code, counted), code)
            if unit_points > NEGLIGIBLE or province_points > NEGLIGIBLE:
                gains.append(DossierGain(dossier["dossier_id"], unit, action, code, unit_points, province_points))
    return sorted(gains, key=lambda g: (-g.unit_points, -g.province_points, g.dossier_id, g.indicator))


def period_gains(inputs: Inputs, period: Period, unit_ids: Sequence[int], *, now: datetime,
                 methodology: Methodology, office: OfficePeriods = OfficePeriods()) -> list[DossierGain]:
    """`open_dossier_gains` of the dossiers of `unit_ids` open at the end of `period` (a period that
    has not ended at `now`; an ended one can no longer change: no gains), read from `inputs`."""
    if not period.start <= now.astimezone(LOCAL).date() < period.end:
        return []
    facts = {r["unit_id"]: r for r in unit_facts(inputs, [period], office=office, methodology=methodology)
             .to_pyarrow().to_pylist()}
    mine = of_units(inputs, unit_ids)
    at_end = dossier_items(mine, period, office=office, methodology=methodology)
    at_end = at_end.filter(at_end.open_at_end).to_pyarrow().to_pylist()
    current = dossier_items(mine, period, as_of=now, office=office, methodology=methodology)
    on_time_now = {r["dossier_id"]: r["ON_TIME_num"] for r in current.filter(current.open_at_end)
                   .select("dossier_id", "ON_TIME_num").to_pyarrow().to_pylist()}
    procedures = {(r["unit_id"], r["procedure_id"]): r for r in procedure_items(
        mine, period, office=office, methodology=methodology).to_pyarrow().to_pylist()}
    units = {r["unit_id"]: r for r in inputs.units.to_pyarrow().to_pylist()}
    province = next(u for u, r in units.items() if r["parent_id"] is None)
    rows = [{**r, "on_time_now": on_time_now.get(r["dossier_id"], False)} for r in at_end]
    return open_dossier_gains(methodology, rows, facts, {u: r["kind"] for u, r in units.items()}, province,
                              procedures)
