"""The national table: the 34 provinces' scores as the National Public Service Portal publishes them.

The CSV has one line per province and these columns (a header line first; UTF-8, with or without
BOM; a decimal point or a decimal comma):

    stt,ma_tinh,ten_tinh,G1,G2,G3a,G3b,G4,G5,tong_diem
    1,24,Bắc Ninh,7.96,15.68,8.83,6.25,8.22,12.97,59.91

`stt` is the portal's order (ignored: the rank is recomputed from `tong_diem`, ties share a rank),
`ma_tinh` the province's administrative code, G1…G5 the group scores as the portal's tables show
them (publicity, progress, online services, online payment, digitization, satisfaction) and
`tong_diem` their sum out of 100. A file that breaks any rule is refused as a whole, with the
line and the reason, and changes nothing; importing a month again replaces that month's table.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.index.engine.methodology import get_methodology
from motcua.index.engine.scoring import rank
from motcua.index.models import NationalScore, NationalTable
from motcua.index.rankings import is_month

COLUMNS = ["stt", "ma_tinh", "ten_tinh", "G1", "G2", "G3a", "G3b", "G4", "G5", "tong_diem"]
TOTAL_TOLERANCE = 0.02  # the portal rounds each group to 2 decimals before adding them up
TARGETS = (5, 10)


class NationalImportError(Exception):
    """A refused national table; the message is for people (Vietnamese)."""


def _number(raw: str, line: int, column: str) -> float:
    try:
        return float(raw.strip().replace(",", "."))
    except ValueError:
        raise NationalImportError(f"Dòng {line}, cột {column}: '{raw}' không phải là số.") from None


def parse(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if [c.strip() for c in reader.fieldnames or []] != COLUMNS:
        raise NationalImportError(f"Dòng tiêu đề phải là: {','.join(COLUMNS)}.")
    groups = {g.code: g.max_points for g in get_methodology().groups}
    rows, seen = [], set()
    for line, raw in enumerate(reader, start=2):
        code, name = (raw["ma_tinh"] or "").strip(), (raw["ten_tinh"] or "").strip()
        if not code or not name:
            raise NationalImportError(f"Dòng {line}: thiếu mã tỉnh hoặc tên tỉnh.")
        if code in seen:
            raise NationalImportError(f"Dòng {line}: mã tỉnh {code} xuất hiện hai lần.")
        seen.add(code)
        scores = {g: _number(raw[g] or "", line, g) for g in groups}
        for g, value in scores.items():
            if not 0 <= value <= groups[g]:
                raise NationalImportError(f"Dòng {line}, cột {g}: {value} nằm ngoài khoảng 0–{groups[g]:g}.")
        total = _number(raw["tong_diem"] or "", line, "tong_diem")
        if abs(total - sum(scores.values())) > TOTAL_TOLERANCE:
            raise NationalImportError(f"Dòng {line}: tổng điểm {total} khác tổng các nhóm "
                                      f"{sum(scores.values()):.2f}.")
        rows.append({"province_code": code.lstrip("0") or "0", "province_name": name, "groups": scores, "total": total})
    if not rows:
        raise NationalImportError("Tệp không có dòng số liệu nào.")
    if own_code() not in {r["province_code"] for r in rows}:
        raise NationalImportError(f"Bảng không có tỉnh của hệ thống (mã {own_code()}).")
    return rows


def own_code() -> str:
    return str(settings.MOTCUA_PROVINCE_CODE)


@transaction.atomic
def import_csv(source: Path | str | bytes, period_key: str, *, source_name: str = "") -> NationalTable:
    if not is_month(period_key):
        raise NationalImportError(f"Kỳ của bảng điểm phải là một tháng, ví dụ 2026-10 (không phải '{period_key}').")
    if isinstance(source, bytes):
        raw = source
    else:
        try:
            raw = Path(source).read_bytes()
        except OSError as exc:
            raise NationalImportError(f"Không đọc được tệp {source}: {exc.strerror}.") from None
        source_name = source_name or Path(source).name
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise NationalImportError("Tệp phải được mã hóa UTF-8.") from None
    rows = parse(text)
    ranks = rank({r["province_code"]: r["total"] for r in rows})
    NationalTable.objects.filter(period=period_key).delete()
    table = NationalTable.objects.create(period=period_key, imported_at=timezone.now(), source_name=source_name[:200])
    NationalScore.objects.bulk_create(NationalScore(table=table, rank=ranks[r["province_code"]], **r) for r in rows)
    return table


# -- position ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    places: int  # top N
    threshold: float | None  # the N-th province's total
    gap: float  # points our province needs to reach it (0 when it is there already)


@dataclass(frozen=True)
class Position:
    table: NationalTable
    own: NationalScore | None
    provinces: int
    targets: tuple[Target, ...]


def latest_table() -> NationalTable | None:
    return NationalTable.objects.order_by("-period").first()


def position(table: NationalTable) -> Position:
    scores = list(table.scores.order_by("rank", "province_name"))
    own = next((s for s in scores if s.province_code == own_code()), None)
    targets = []
    for places in TARGETS:
        threshold = scores[places - 1].total if len(scores) >= places else None
        gap = max(0.0, threshold - own.total) if own is not None and threshold is not None else 0.0
        targets.append(Target(places, threshold, gap))
    return Position(table, own, len(scores), tuple(targets))


# -- the plan ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanLine:
    unit_name: str
    indicator: str
    indicator_label: str
    action_label: str
    dossiers: int
    province_points: float


@dataclass(frozen=True)
class Plan:
    gap: float
    reached: float  # points the plan's dossiers give the province
    dossiers: int
    lines: tuple[PlanLine, ...]

    @property
    def enough(self) -> bool:
        return self.reached + 1e-9 >= self.gap


def plan(gap: float, gains) -> Plan:
    """Which indicators in which units give `gap` points to the province for the fewest dossiers.

    `gains` are the engine's marginal gains (`index.selectors.marginal_gains` for the province):
    one entry per open dossier and action, with the points it brings the province. The dossiers
    worth most are taken first, one action per dossier, until the gap is covered; they are then
    grouped by unit, indicator and action. Each gain is measured alone, so the sum is an estimate
    (several dossiers in one indicator are worth slightly more or less together than apart).
    """
    chosen, reached, used = {}, 0.0, set()
    for g in sorted(gains, key=lambda g: -g.province_points):
        if reached + 1e-9 >= gap or g.province_points <= 0:
            break
        if g.dossier_code in used:
            continue
        used.add(g.dossier_code)
        reached += g.province_points
        key = (g.unit_name, g.indicator, g.indicator_label, g.action_label)
        count, points = chosen.get(key, (0, 0.0))
        chosen[key] = (count + 1, points + g.province_points)
    lines = sorted((PlanLine(*key, count, points) for key, (count, points) in chosen.items()),
                   key=lambda line: -line.province_points)
    return Plan(gap, reached, len(used), tuple(lines))
