"""Open data: every published ranking as CSV and JSON, in the documented schema below.

The schema is data, so that the page describing it (`portal/index/open_data.html`) and the files
can never disagree. Only published snapshots are open data; superseded revisions stay downloadable
so that every correction can be checked against what was first published.
"""
from __future__ import annotations

import csv
import io
import json

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from motcua.index import rankings
from motcua.index.models import Snapshot, SnapshotStatus, UnitScore

SCHEMA_VERSION = "motcua-index-ranking/1"

# (field, type, meaning) — the CSV has one line per unit with these columns, then one column per group.
UNIT_FIELDS = [
    ("period", _("chuỗi"), _("Kỳ đánh giá, YYYY-MM")),
    ("revision", _("số nguyên"), _("Lần công bố: 0 là lần đầu, từ 1 là bản sửa đổi")),
    ("status", _("chuỗi"), _("published (đang có hiệu lực) hoặc superseded (đã được sửa đổi)")),
    ("unit_code", _("chuỗi"), _("Mã đơn vị (mã sở, ngành; mã hành chính của xã, phường; mã tỉnh)")),
    ("unit_name", _("chuỗi"), _("Tên đơn vị")),
    ("unit_kind", _("chuỗi"), _("province (tỉnh), department (sở, ban, ngành) hoặc commune (xã, phường)")),
    ("rank", _("số nguyên hoặc rỗng"),
     _("Thứ hạng trong cùng cấp (sở với sở, xã với xã); đồng điểm thì đồng hạng; rỗng với dòng của tỉnh")),
    ("total", _("số thực"), _("Tổng điểm trên 100, không làm tròn")),
    ("band", _("chuỗi"), _("Xếp loại: Xuất sắc, Tốt, Khá, Trung bình, Yếu; «Không có dữ liệu» với đơn vị không có "
                           "hồ sơ nào trong kỳ (không xếp loại, không xếp hạng)")),
]
GROUP_FIELD = ("G1 … G5", _("số thực"),
               _("Điểm của từng nhóm chỉ số (G3a, G3b: dịch vụ công trực tuyến, thanh toán trực tuyến)"))
INDICATOR_FIELDS = [
    ("indicator", _("chuỗi"), _("Mã chỉ số thành phần (ví dụ ON_TIME)")),
    ("group", _("chuỗi"), _("Nhóm của chỉ số")),
    ("numerator", _("số nguyên"), _("Tử số")),
    ("denominator", _("số nguyên"), _("Mẫu số")),
    ("score", _("số thực hoặc null"), _("Điểm của chỉ số")),
    ("max_points", _("số thực"), _("Điểm tối đa của chỉ số")),
    ("measured", _("đúng/sai"), _("Sai: hệ thống chưa ghi nhận dữ liệu nguồn, điểm theo quy tắc mẫu số bằng 0")),
]


def downloadable() -> list[Snapshot]:
    """Every published and superseded snapshot, newest period first."""
    return list(Snapshot.objects.filter(status__in=[SnapshotStatus.PUBLISHED, SnapshotStatus.SUPERSEDED])
                .order_by("-period", "-revision"))


def group_codes(snapshot: Snapshot) -> list[str]:
    return [g.code for g in rankings.methodology_of(snapshot).groups]


def records(snapshot: Snapshot) -> list[dict]:
    methodology = rankings.methodology_of(snapshot)
    scores = (UnitScore.objects.filter(snapshot=snapshot).select_related("unit").prefetch_related("indicators")
              .order_by("unit__kind", "rank", "unit__code"))
    out = []
    with translation.override("vi"):  # the files are the same whatever the reader's language
        bands = {band: rankings.band_text(band) for band in {s.band for s in scores}}
    for s in scores:
        out.append({
            "period": snapshot.period, "revision": snapshot.revision, "status": snapshot.status,
            "unit_code": s.unit.code, "unit_name": s.unit.name, "unit_kind": s.unit.kind, "rank": s.rank,
            "total": s.total, "band": bands[s.band], "groups": dict(s.groups),
            "indicators": [{"indicator": i.code, "group": methodology.indicator(i.code).group,
                            "numerator": i.numerator, "denominator": i.denominator, "score": i.score,
                            "max_points": methodology.indicator(i.code).max_points, "measured": i.measured}
                           for i in sorted(s.indicators.all(), key=lambda i: i.code)]})
    return out


def as_json(snapshot: Snapshot) -> str:
    return json.dumps({
        "schema": SCHEMA_VERSION, "period": snapshot.period, "revision": snapshot.revision,
        "status": snapshot.status, "reason": snapshot.reason,
        "published_at": snapshot.published_at.isoformat() if snapshot.published_at else None,
        "methodology_version": snapshot.methodology_version, "fingerprint": snapshot.fingerprint,
        "units": records(snapshot)}, ensure_ascii=False, indent=1)


def as_csv(snapshot: Snapshot) -> str:
    groups = group_codes(snapshot)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _, _ in UNIT_FIELDS] + groups)
    for r in records(snapshot):
        writer.writerow([r[name] if r[name] is not None else "" for name, _, _ in UNIT_FIELDS]
                        + [r["groups"].get(g, 0.0) for g in groups])
    return out.getvalue()


def file_name(snapshot: Snapshot, extension: str) -> str:
    return f"chi-so-{snapshot.period}-lan-{snapshot.revision}.{extension}"
