"""Bulk synthetic dossiers straight to Parquet (no database), for benchmarks of the index engine.

``write_dossiers_parquet(out_dir, rows)`` writes four files::

    dossiers.parquet    one row per dossier (the fact table; one row group per chunk)
    units.parquet       the province of Bắc Ninh (code 24), 15 departments, its 99 real communes
    procedures.parquet  a synthetic procedure catalogue (department- and commune-level)
    calendar.parquet    date, is_working_day, working_day_ordinal, day_number (days since 1970-01-01)

and the optional tables of the index: ``publications.parquet`` (publication decisions, G1;
``motcua.demo.publications.publications_table``), ``petitions.parquet`` and ``ratings.parquet``
(``motcua.demo.feedback_parquet``), ``certified_copies.parquet`` (95 % of the communes issue an
electronic certified copy in the first month; ``motcua.demo.certified_copies``). Every file
written is in ``Summary.paths``.

The generator is vectorised with numpy and works in chunks (``chunk`` rows, default 1,000,000),
so memory stays flat whatever ``rows`` is; chunk *k+1* is generated while chunk *k* is written.

Time
----
Dossiers are received over ``months`` calendar months ending with ``last_month`` (default the
12 months December 2025 – November 2026). The snapshot — the moment the data is "taken" — is
midnight at the start of the month after ``last_month``: nothing happens after it, so dossiers
whose processing would end later are still open (status 2, 4, 5 or 6). Rows are in order of
reception, and ``dossier_id`` follows that order.

Deadlines use the real work calendar (``motcua.workdays.calendar``: Vietnamese public holidays,
swapped Saturdays, default office hours 07:30–11:30, 13:30–17:00, cut-off 15:00), computed with
numpy on working positions (working-day ordinal + elapsed office time) by
:class:`CalendarArrays`. ``CalendarArrays.appointment`` reproduces ``WorkCalendar.add`` exactly
for all five time units (working days, working hours, days, months, in the day); the tests check
it against ``WorkCalendar.add`` row by row.

Every processing event (supplement request and receipt, processed, returned, stopped…) is placed
at a working position, so it falls in office hours on a working day. Reception of online dossiers
can be at any hour of any day (submitted at night or on a weekend: the clock starts at the next
office period, as ``WorkCalendar.add`` does); direct and postal dossiers are received in office
hours on working days. Timestamps are stored in UTC as ``timestamp[us, tz=Asia/Ho_Chi_Minh]``.

Consistency guaranteed by construction (and checked by the tests)
-----------------------------------------------------------------
* received ≤ supplement_requested ≤ supplement_received ≤ finished ≤ returned; every time set is
  ≤ the snapshot; paid_at ≥ received_at.
* status 10 ⇔ finished and returned set; 9 ⇔ finished set, returned null; 3/7/8 ⇔ closed_at set;
  5 ⇔ a supplement request without its receipt; 2/4/6 have no end time.
* appointment_at is null exactly for refused dossiers (status 3: refused at the desk, no slip).
* supplement_requested_at / supplement_received_at hold the *latest* request; supplement_count
  counts requests. A dossier with two requests is late.
* A dossier is either on time in every reading of the ON_TIME rule (finished_at ≤ appointment_at
  even counting the supplement pause) or late in every reading (finished_at minus the pause, in
  working time, is still after appointment_at).
"""
from __future__ import annotations

import resource
import time as _time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from motcua.demo.certified_copies import certified_copies_table
from motcua.demo.feedback_parquet import FeedbackSampler
from motcua.demo.publications import publications_table
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.notices import official_days

__all__ = [
    "CalendarArrays",
    "DOSSIER_SCHEMA",
    "Summary",
    "TIME_UNITS",
    "build_calendar",
    "write_dossiers_parquet",
]

TZ_NAME = "Asia/Ho_Chi_Minh"
TS = pa.timestamp("us", tz=TZ_NAME)
_US = 1_000_000
_DAY_US = 86_400 * _US
_MINUTE_US = 60 * _US
_EPOCH = date(1970, 1, 1)

#: Time units of a procedure's limit, by code (the order is the int8 code used internally).
TIME_UNITS = ("working_days", "working_hours", "days", "months", "in_day")
_WD, _WH, _DAYS, _MONTHS, _IN_DAY = range(5)

CHANNELS = ("direct", "postal", "online")
PAYMENT_CHANNELS = ("national", "province", "cash")
APPLICANT_KINDS = ("individual", "organisation")


def _dict_type() -> pa.DataType:
    return pa.dictionary(pa.int8(), pa.string())


DOSSIER_SCHEMA = pa.schema(
    [
        ("dossier_id", pa.int64()),
        ("code", pa.string()),
        ("procedure_id", pa.int32()),
        ("unit_id", pa.int32()),
        ("channel", _dict_type()),
        ("status", pa.int8()),
        ("received_at", TS),
        ("appointment_at", TS),
        ("finished_at", TS),
        ("returned_at", TS),
        ("closed_at", TS),
        ("supplement_count", pa.int8()),
        ("supplement_requested_at", TS),
        ("supplement_received_at", TS),
        ("fee_total_vnd", pa.int64()),
        ("paid_at", TS),
        ("payment_channel", _dict_type()),
        ("fee_obligation", pa.bool_()),
        ("result_signed", pa.bool_()),
        ("result_paper", pa.bool_()),
        ("result_to_personal_store", pa.bool_()),
        ("components_digitized", pa.bool_()),
        ("component_reused", pa.bool_()),
        ("component_from_personal_store", pa.bool_()),
        ("population_verified", pa.bool_()),
        ("synced_national", pa.bool_()),
        ("applicant_kind", _dict_type()),
    ]
)


@dataclass(frozen=True)
class Summary:
    rows: int
    seconds: float
    #: peak resident set size of the whole process so far (getrusage ru_maxrss), in MiB
    peak_rss_mb: float
    #: table name ("dossiers", "units", "procedures", "calendar") → file written
    paths: dict[str, Path] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# The work calendar, vectorised
# --------------------------------------------------------------------------------------------


def build_calendar(first_year: int, last_year: int) -> WorkCalendar:
    """The default work calendar (Vietnamese public holidays corrected by the government's notices,
    default office hours) over the years a dataset touches, with one year of margin each side."""
    holidays, swapped = official_days(range(first_year - 1, last_year + 2))
    return WorkCalendar(holidays, swapped)


def _t_us(t) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US + t.microsecond


class CalendarArrays:
    """``WorkCalendar`` arithmetic on numpy arrays of local wall-clock instants.

    Instants are int64 microseconds since 1970-01-01 00:00 *local time* ("local µs"); convert
    with :meth:`to_utc_us` / :meth:`from_utc_us`. Working positions are int64 microseconds of
    working time, ``(ordinal - 1) × day + elapsed office time``, the same as
    ``WorkCalendar._position``. Dates must lie in ``[start, end]`` (the calendar table).
    """

    def __init__(self, calendar: WorkCalendar, start: date, end: date) -> None:
        self.calendar = calendar
        self.start, self.end = start, end
        rows = list(calendar.calendar_rows(start, end))
        self.dates = np.array([d for d, _, _ in rows], dtype="datetime64[D]")
        self.is_working = np.array([w for _, w, _ in rows], dtype=bool)
        self.ordinal = np.array([o for _, _, o in rows], dtype=np.int64)
        self.n_days = len(rows)
        self.day0 = (start - _EPOCH).days  # epoch day of index 0
        working_idx = np.flatnonzero(self.is_working)
        self.first_ordinal = int(self.ordinal[working_idx[0]])
        if not np.array_equal(
            self.ordinal[working_idx], np.arange(len(working_idx)) + self.first_ordinal
        ):
            raise AssertionError("working-day ordinals are not consecutive")  # pragma: no cover
        self.working_idx = working_idx  # ordinal - first_ordinal → day index
        hours = calendar.hours
        self.starts = np.array([_t_us(s) for s, _ in hours.periods], dtype=np.int64)
        self.ends = np.array([_t_us(e) for _, e in hours.periods], dtype=np.int64)
        lengths = self.ends - self.starts
        self.cum_end = np.cumsum(lengths)
        self.cum_start = self.cum_end - lengths
        self.day_us = int(lengths.sum())
        if self.day_us != hours.day_micros:
            raise AssertionError("office-day length mismatch")  # pragma: no cover
        self.cutoff = _t_us(hours.same_day_cutoff)
        self.opens, self.closes = int(self.starts[0]), int(self.ends[-1])
        # UTC offset: fixed over the range (Asia/Ho_Chi_Minh has been UTC+7 since 1975)
        offsets = {
            calendar.tz.utcoffset(datetime(d.year, d.month, d.day, 12))
            for d in (start, end, date(start.year, 7, 1), date(end.year, 1, 1))
        }
        if len(offsets) != 1:
            raise NotImplementedError(
                f"{calendar.tz}: the UTC offset changes between {start} and {end}"
            )
        self.utc_offset_us = int(offsets.pop().total_seconds()) * _US

    # -- conversions -----------------------------------------------------------------------------

    def to_utc_us(self, local_us: np.ndarray) -> np.ndarray:
        return local_us - self.utc_offset_us

    def from_utc_us(self, utc_us: np.ndarray) -> np.ndarray:
        return utc_us + self.utc_offset_us

    def local_us(self, dt: datetime) -> int:
        """A timezone-aware datetime as local µs."""
        local = dt.astimezone(self.calendar.tz)
        days = (local.date() - _EPOCH).days
        return days * _DAY_US + _t_us(local.time())

    def _day_index(self, local_us: np.ndarray) -> np.ndarray:
        di = local_us // _DAY_US - self.day0
        if di.size and (di.min() < 0 or di.max() >= self.n_days):
            raise ValueError(
                f"instant outside the calendar table {self.start} – {self.end}; widen it"
            )
        return di

    def _working_day_index(self, ordinal: np.ndarray) -> np.ndarray:
        k = ordinal - self.first_ordinal
        if k.size and (k.min() < 0 or k.max() >= len(self.working_idx)):
            raise ValueError(
                f"working day outside the calendar table {self.start} – {self.end}; widen it"
            )
        return self.working_idx[k]

    # -- positions -------------------------------------------------------------------------------

    def _elapsed(self, tod: np.ndarray) -> np.ndarray:
        elapsed = np.zeros(tod.shape, dtype=np.int64)
        for s, e in zip(self.starts.tolist(), self.ends.tolist()):
            elapsed += np.clip(tod - s, 0, e - s)
        return elapsed

    def position(self, local_us: np.ndarray) -> np.ndarray:
        """Working position (µs of working time) of each instant; = ``WorkCalendar._position``."""
        local_us = np.asarray(local_us, dtype=np.int64)
        di = self._day_index(local_us)
        tod = local_us - (di + self.day0) * _DAY_US
        ordinal = self.ordinal[di]
        return np.where(
            self.is_working[di], (ordinal - 1) * self.day_us + self._elapsed(tod), ordinal * self.day_us
        )

    def instant(self, position: np.ndarray) -> np.ndarray:
        """The local instant of each working position; = ``WorkCalendar._instant``: inside an
        office period [start, end) of a working day, a day boundary being the previous working
        day's close and a boundary between two periods of a day the later period's start."""
        position = np.asarray(position, dtype=np.int64)
        ordinal, offset = np.divmod(position, self.day_us)
        boundary = offset == 0
        offset = np.where(boundary, self.day_us, offset)  # a day boundary is the previous close
        ordinal = np.where(boundary, ordinal, ordinal + 1)
        di = self._working_day_index(ordinal)
        # the period with offset < its cumulative end; the day's last period keeps its end (close)
        k = np.minimum(np.searchsorted(self.cum_end, offset, side="right"), len(self.cum_end) - 1)
        tod = self.starts[k] + offset - self.cum_start[k]
        return (di + self.day0) * _DAY_US + tod

    def in_office_period(self, tod: np.ndarray) -> np.ndarray:
        """Whether each time of day (µs) falls inside an office period [start, end)."""
        inside = np.zeros(np.shape(tod), dtype=bool)
        for s, e in zip(self.starts.tolist(), self.ends.tolist()):
            inside |= (tod >= s) & (tod < e)
        return inside

    def next_working_instant(self, local_us: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``WorkCalendar.next_working_instant`` as (day index, time of day in µs)."""
        local_us = np.asarray(local_us, dtype=np.int64)
        di = self._day_index(local_us)
        tod = local_us - (di + self.day0) * _DAY_US
        out_tod = np.full(tod.shape, -1, dtype=np.int64)
        working = self.is_working[di]
        for s, e in zip(self.starts.tolist(), self.ends.tolist()):
            todo = working & (out_tod < 0)
            out_tod = np.where(todo & (tod < s), s, out_tod)
            out_tod = np.where(todo & (tod >= s) & (tod < e), tod, out_tod)
        later = out_tod < 0  # after close, or not a working day: the next working day's opening
        next_di = self._working_day_index(self.ordinal[di] + 1)
        return np.where(later, next_di, di), np.where(later, self.opens, out_tod)

    def _on_or_after(self, di: np.ndarray) -> np.ndarray:
        if di.size and di.max() >= self.n_days:
            raise ValueError(f"date after the calendar table's end {self.end}; widen it")
        return np.where(self.is_working[di], di, self._working_day_index(self.ordinal[di] + 1))

    def appointment(
        self, local_us: np.ndarray, amount: np.ndarray, unit: np.ndarray
    ) -> np.ndarray:
        """``WorkCalendar.add(received, amount, unit)`` for arrays, as local µs. ``unit`` holds
        codes into :data:`TIME_UNITS`; ``amount`` is whole for days/months and 0/1 for in_day."""
        local_us = np.asarray(local_us, dtype=np.int64)
        amount = np.asarray(amount)
        unit = np.asarray(unit)
        amount, unit = np.broadcast_to(amount, local_us.shape), np.broadcast_to(unit, local_us.shape)
        out = np.empty(local_us.shape, dtype=np.int64)
        nd, ntod = self.next_working_instant(local_us)
        normalized = (nd + self.day0) * _DAY_US + ntod

        working = (unit == _WD) | (unit == _WH)
        if working.any():
            a = amount[working].astype(np.float64)
            per_day = np.where(unit[working] == _WH, self.day_us / 8, self.day_us)
            add = np.ceil(a * per_day).astype(np.int64)
            pos = self.position(local_us[working]) + add
            out[working] = np.where(add == 0, normalized[working], self.instant(pos))

        in_day = unit == _IN_DAY
        if in_day.any():
            d, t = nd[in_day], ntod[in_day]
            late = t >= self.cutoff
            d = np.where(late, self._working_day_index(self.ordinal[d] + 1), d)
            out[in_day] = (d + self.day0) * _DAY_US + self.closes

        days = unit == _DAYS
        if days.any():
            target = nd[days] + amount[days].astype(np.int64)
            out[days] = (self._on_or_after(target) + self.day0) * _DAY_US + self.closes

        months = unit == _MONTHS
        if months.any():
            d64 = self.dates[nd[months]]
            month = d64.astype("datetime64[M]")
            dom = (d64 - month.astype("datetime64[D]")).astype(np.int64)  # day of month − 1
            target_month = month + amount[months].astype(np.int64)
            month_days = (
                (target_month + 1).astype("datetime64[D]") - target_month.astype("datetime64[D]")
            ).astype(np.int64)
            target = target_month.astype("datetime64[D]") + np.minimum(dom, month_days - 1)
            ti = (target - self.dates[0]).astype(np.int64)
            out[months] = (self._on_or_after(ti) + self.day0) * _DAY_US + self.closes

        unknown = ~(working | in_day | days | months)
        if unknown.any():
            raise ValueError(f"unknown time unit codes {np.unique(unit[unknown])}")
        return out


# --------------------------------------------------------------------------------------------
# Units and the procedure catalogue
# --------------------------------------------------------------------------------------------

PROVINCE = (24, "24", "Bắc Ninh")  # as units.services.load_province_tree names it

# (code, name, share of department volume, on-time bias in logits); codes and names as in
# motcua.demo.organisation (the database demo), so both demos name units alike
DEPARTMENTS = (
    ("VPUB", "Văn phòng UBND tỉnh", 0.002, 2.0),
    ("STC", "Sở Tài chính", 0.11, 0.3),
    ("SNV", "Sở Nội vụ", 0.10, -0.6),
    ("STP", "Sở Tư pháp", 0.06, 0.6),
    ("SXD", "Sở Xây dựng", 0.13, 0.2),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", 0.38, -1.2),
    ("SCT", "Sở Công Thương", 0.03, -0.3),
    ("SYT", "Sở Y tế", 0.06, 0.0),
    ("SGDDT", "Sở Giáo dục và Đào tạo", 0.03, -0.2),
    ("SKHCN", "Sở Khoa học và Công nghệ", 0.01, 1.5),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", 0.015, 2.0),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", 0.003, 0.0),
    ("SNGV", "Sở Ngoại vụ", 0.003, 2.5),
    ("TTT", "Thanh tra tỉnh", 0.001, 2.5),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp", 0.02, 0.4),
)
# departments that rarely take fees online (bias of the online-payment rate, in logits)
_PAY_BIAS = {"VPUB": -3.0, "SDTTG": -2.5, "SNGV": -3.0, "TTT": -3.5, "SKHCN": -1.5}
DEPARTMENT_SHARE = 0.2  # share of all dossiers handled by departments (Phú Thọ, 08/2026: 19.5 %)

# per department: (number of procedures, field, [(name, unit, limit, fee VND)…] for the busiest)
_DEPT_CATALOGUE = {
    "VPUB": (6, "Tổng hợp", []),
    "STC": (90, "Thành lập và hoạt động doanh nghiệp", [
        ("Đăng ký thành lập doanh nghiệp tư nhân", "working_days", 3, 50_000),
        ("Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "working_days", 3, 50_000),
        ("Thông báo thay đổi nội dung đăng ký doanh nghiệp", "working_days", 3, 0),
    ]),
    "SNV": (80, "Lao động, việc làm", [
        ("Giải quyết hưởng trợ cấp thất nghiệp", "working_days", 15, 0),
        ("Cấp giấy phép lao động cho người lao động nước ngoài", "working_days", 5, 600_000),
        ("Giải quyết chế độ trợ cấp ưu đãi người có công", "months", 1, 0),
    ]),
    "STP": (60, "Lý lịch tư pháp", [
        ("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "working_days", 10, 200_000),
        ("Cấp Phiếu lý lịch tư pháp cho cơ quan, tổ chức", "working_days", 10, 0),
    ]),
    "SXD": (100, "Đường bộ", [
        ("Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "working_days", 5, 135_000),
        ("Cấp giấy phép xây dựng công trình", "days", 20, 150_000),
        ("Cấp giấy phép vận tải qua biên giới", "working_hours", 16, 50_000),
    ]),
    "SNNMT": (120, "Đất đai", [
        ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
         "working_days", 10, 100_000),
        ("Cấp đổi Giấy chứng nhận quyền sử dụng đất", "working_days", 7, 100_000),
        ("Đăng ký thế chấp quyền sử dụng đất", "in_day", 1, 80_000),
        ("Cấp lại Giấy chứng nhận do bị mất", "working_days", 10, 100_000),
    ]),
    "SCT": (70, "Lưu thông hàng hóa trong nước", [
        ("Cấp Giấy phép bán lẻ rượu", "working_days", 10, 1_200_000),
    ]),
    "SYT": (80, "Khám bệnh, chữa bệnh", [
        ("Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "working_days", 20, 360_000),
        ("Cấp giấy chứng nhận đủ điều kiện kinh doanh dược", "working_days", 20, 500_000),
    ]),
    "SGDDT": (40, "Văn bằng, chứng chỉ", [
        ("Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "in_day", 1, 0),
    ]),
    "SKHCN": (35, "Tiêu chuẩn đo lường chất lượng", []),
    "SVHTTDL": (70, "Du lịch", [
        ("Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa", "working_days", 10, 3_000_000),
    ]),
    "SDTTG": (15, "Tôn giáo", []),
    "SNGV": (6, "Công tác lãnh sự", []),
    "TTT": (5, "Giải quyết khiếu nại, tố cáo", []),
    "BQLKCN": (30, "Đầu tư tại khu công nghiệp", [
        ("Cấp Giấy chứng nhận đăng ký đầu tư", "days", 15, 0),
    ]),
}

_COMMUNE_FIELD = "Hộ tịch, chứng thực, đất đai, kinh doanh"
_COMMUNE_PROCEDURES = 160
# (name, unit, limit, fee VND; fee per page for certified copies)
_COMMUNE_TOP = [
    ("Chứng thực bản sao từ bản chính giấy tờ, văn bản", "in_day", 1, 2_000),
    ("Chứng thực chữ ký trong các giấy tờ, văn bản", "in_day", 1, 10_000),
    ("Đăng ký khai sinh", "in_day", 1, 0),
    ("Cấp bản sao trích lục hộ tịch", "in_day", 1, 8_000),
    ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
     "working_days", 10, 100_000),
    ("Chứng thực hợp đồng, giao dịch liên quan đến bất động sản", "working_days", 2, 50_000),
    ("Đăng ký kết hôn", "in_day", 1, 0),
    ("Xác nhận tình trạng hôn nhân", "working_days", 3, 0),
    ("Đăng ký khai tử", "in_day", 1, 0),
    ("Đăng ký thành lập hộ kinh doanh", "working_days", 3, 100_000),
    ("Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "working_days", 20, 100_000),
    ("Cấp giấy phép xây dựng nhà ở riêng lẻ", "days", 15, 75_000),
    ("Giải quyết hưởng trợ cấp xã hội hàng tháng", "months", 1, 0),
    ("Đăng ký giám hộ", "working_days", 3, 0),
    ("Xác nhận hồ sơ đề nghị hỗ trợ chi phí học tập", "working_hours", 8, 0),
]

_WD_LIMITS = (np.array([1, 2, 3, 5, 7, 10, 12, 15, 20, 25, 30, 45]),
              np.array([3, 6, 8, 14, 8, 16, 4, 14, 14, 3, 6, 4], dtype=float))
_WH_LIMITS = np.array([4, 8, 16])
_DAY_LIMITS = np.array([7, 15, 30, 45])
_MONTH_LIMITS = np.array([1, 2, 3])
_FEES = np.array([10_000, 20_000, 30_000, 50_000, 100_000, 135_000, 200_000, 500_000, 1_000_000])


# Volumes over time. Relative monthly volume by calendar month: the year-end and pre-Tết rush
# (December, January), the Tết dip (lunar new year falls in February in 2026 and 2027; the shape
# is by calendar month), otherwise flat within ±5 %. Within a month, working days share the volume
# by weekday; weekends and holidays get a trickle of online submissions.
_MONTH_SHAPE = {1: 1.12, 2: 0.62, 3: 1.02, 4: 0.96, 5: 0.98, 6: 1.0, 7: 1.04, 8: 1.0,
                9: 0.95, 10: 1.02, 11: 1.03, 12: 1.10}
_WEEKDAY_SHAPE = (1.12, 1.05, 1.0, 1.0, 0.92, 0.6, 0.6)  # Mon..Sun (Sat/Sun when swapped in)
_NON_WORKING_SHAPE = 0.05  # online submissions on weekends and holidays
_OFF_HOURS_SHARE = 0.12  # of a working day's dossiers: online, outside office hours
# all dossiers received outside office hours (off-hours share + weekends and holidays, ≈ 2.3 %)
_OUTSIDE_OFFICE = 0.14


def _month_start(d: date, shift: int) -> date:
    m = d.year * 12 + d.month - 1 + shift
    return date(m // 12, m % 12 + 1, 1)


def _logistic(z):
    return 1.0 / (1.0 + np.exp(-z))


def _calibrate(raw: np.ndarray, weights: np.ndarray, lo: float, hi: float, target: float):
    """Map raw logits into (lo, hi) with one common shift so that the volume-weighted mean is
    ``target``: units differ, the province matches the real rate."""
    w = weights / weights.sum()
    a, b = -30.0, 30.0
    for _ in range(100):
        c = (a + b) / 2
        if float(w @ (lo + (hi - lo) * _logistic(raw + c))) < target:
            a = c
        else:
            b = c
    return lo + (hi - lo) * _logistic(raw + (a + b) / 2)


@dataclass
class _World:
    """Dimension tables plus the per-unit and per-procedure arrays the generator samples from."""

    units: pa.Table
    procedures: pa.Table
    unit_codes: list[str]
    # per unit (index = unit_id)
    on_time: np.ndarray
    e_result: np.ndarray
    pay_online: np.ndarray
    digitized: np.ndarray
    reused: np.ndarray
    population: np.ndarray
    synced: np.ndarray
    # per procedure (index = procedure_id)
    p_unit: np.ndarray
    p_limit: np.ndarray
    p_fee: np.ndarray
    p_per_page: np.ndarray
    p_doc: np.ndarray
    p_online_ok: np.ndarray
    p_individuals: np.ndarray
    # (unit, procedure) pairs
    pair_unit: np.ndarray
    pair_proc: np.ndarray
    pair_cdf: np.ndarray
    pair_office_online_p: np.ndarray
    online_pairs: np.ndarray
    online_cdf: np.ndarray


def _build_world(seed: int) -> _World:
    import vietnam_provinces as vp

    rng = np.random.default_rng([seed, 0xD1])

    # ---- units: 1 province, 2.. departments, then communes (ordered by administrative code)
    wards = sorted(vp.Ward.iter_by_province(vp.ProvinceCode(PROVINCE[0])), key=lambda w: int(w.code))
    ids, codes, names, kinds, parents, admin = [1], [PROVINCE[1]], [PROVINCE[2]], ["province"], [None], [PROVINCE[0]]
    dept_ids = {}
    for code, name, _, _ in DEPARTMENTS:
        dept_ids[code] = len(ids) + 1
        ids.append(len(ids) + 1), codes.append(code), names.append(name)
        kinds.append("department"), parents.append(1), admin.append(None)
    commune_ids = []
    is_ward = []
    for w in wards:
        commune_ids.append(len(ids) + 1)
        ids.append(len(ids) + 1), codes.append(f"{int(w.code):05d}"), names.append(w.name)
        kinds.append("commune"), parents.append(1), admin.append(int(w.code))
        is_ward.append(w.name.startswith("Phường"))
    n_units = len(ids) + 1  # index 0 unused
    units = pa.table(
        {
            "unit_id": pa.array(ids, pa.int32()),
            "code": pa.array(codes, pa.string()),
            "name": pa.array(names, pa.string()),
            "kind": pa.array(kinds, pa.string()),
            "parent_id": pa.array(parents, pa.int32()),
            "admin_code": pa.array(admin, pa.int32()),
        }
    )

    # ---- unit volumes
    volume = np.zeros(n_units)
    for code, _, share, _ in DEPARTMENTS:
        volume[dept_ids[code]] = DEPARTMENT_SHARE * share
    cv = rng.lognormal(0.0, 0.45, len(commune_ids)) * np.where(is_ward, 1.5, 1.0)
    volume[commune_ids] = (1 - DEPARTMENT_SHARE) * cv / cv.sum()
    volume /= volume.sum()

    # ---- procedures
    p_rows = []  # (code, name, field, level, agency_id, unit_code, limit, fee, per_page, doc, online, indiv)
    used_codes: set[str] = set()

    def new_code() -> str:
        while True:
            c = f"{rng.choice([1, 2])}.{rng.integers(0, 1_000_000):06d}"
            if c not in used_codes:
                used_codes.add(c)
                return c

    def random_limit(level: str) -> tuple[str, int]:
        r = rng.random()
        shares = (0.85, 0.03, 0.07, 0.02) if level == "province" else (0.80, 0.02, 0.03, 0.01)
        if r < shares[0]:
            values, weights = _WD_LIMITS
            if level == "commune":
                values, weights = values[:8], weights[:8]
            return "working_days", int(rng.choice(values, p=weights / weights.sum()))
        r -= shares[0]
        if r < shares[1]:
            return "working_hours", int(rng.choice(_WH_LIMITS))
        r -= shares[1]
        if r < shares[2]:
            return "days", int(rng.choice(_DAY_LIMITS))
        r -= shares[2]
        if r < shares[3]:
            return "months", int(rng.choice(_MONTH_LIMITS))
        return "in_day", 1

    def add_procedures(level, agency_id, count, field_name, top, indiv_share):
        first = len(p_rows) + 1
        for k in range(count):
            if k < len(top):
                name, unit, limit, fee = top[k]
                per_page = name.startswith("Chứng thực bản sao")
            else:
                name = f"{field_name}: thủ tục {k + 1 - len(top)}"
                unit, limit = random_limit(level)
                fee = int(rng.choice(_FEES)) if rng.random() < 0.33 else 0
                per_page = False
            online = rng.choice(["none", "partial", "full"], p=[0.12, 0.48, 0.40])
            if k < len(top) and online == "none":
                online = "partial"
            p_rows.append(
                (new_code(), name, field_name, level, agency_id, unit, limit, fee, per_page,
                 bool(rng.random() < 0.88), str(online), bool(rng.random() < indiv_share))
            )
        return np.arange(first, len(p_rows) + 1)

    unit_procs: dict[int, np.ndarray] = {}
    for code, _, _, _ in DEPARTMENTS:
        count, field_name, top = _DEPT_CATALOGUE[code]
        unit_procs[dept_ids[code]] = add_procedures(
            "province", dept_ids[code], count, field_name, top, 0.6
        )
    commune_procs = add_procedures("commune", None, _COMMUNE_PROCEDURES, _COMMUNE_FIELD, _COMMUNE_TOP, 0.92)
    # the busiest commune procedures serve individuals
    for i in commune_procs[: len(_COMMUNE_TOP)]:
        row = list(p_rows[i - 1])
        row[11] = not row[1].startswith("Đăng ký thành lập hộ")
        p_rows[i - 1] = tuple(row)

    cols = list(zip(*p_rows))
    n_procs = len(p_rows) + 1
    procedures = pa.table(
        {
            "procedure_id": pa.array(np.arange(1, n_procs, dtype=np.int32)),
            "code": pa.array(cols[0], pa.string()),
            "name": pa.array(cols[1], pa.string()),
            "field": pa.array(cols[2], pa.string()),
            "level": pa.array(cols[3], pa.string()),
            "agency_id": pa.array(cols[4], pa.int32()),
            "time_limit": pa.array(cols[6], pa.int32()),
            "time_unit": pa.array(cols[5], pa.string()),
            "fee_bearing": pa.array([f > 0 for f in cols[7]], pa.bool_()),
            "result_is_document": pa.array(cols[9], pa.bool_()),
            "online_level": pa.array(cols[10], pa.string()),
            "for_individuals": pa.array(cols[11], pa.bool_()),
        }
    )

    def per_proc(values, dtype):
        out = np.zeros(n_procs, dtype=dtype)
        out[1:] = np.array(values, dtype=dtype)
        return out

    p_unit = per_proc([TIME_UNITS.index(u) for u in cols[5]], np.int8)
    p_limit = per_proc(cols[6], np.int64)
    p_fee = per_proc(cols[7], np.int64)
    p_per_page = per_proc(cols[8], bool)
    p_doc = per_proc(cols[9], bool)
    p_online_ok = per_proc([o != "none" for o in cols[10]], bool)
    p_individuals = per_proc(cols[11], bool)

    # ---- (unit, procedure) pairs, Zipf-weighted within a unit
    pair_unit, pair_proc, pair_w = [], [], []
    commune_zipf = 1.0 / np.arange(1, len(commune_procs) + 1) ** 1.15
    for u in range(2, n_units):
        procs = unit_procs.get(u, commune_procs)
        if u in unit_procs:
            z = 1.0 / np.arange(1, len(procs) + 1) ** 1.1
        else:  # communes share the catalogue, with a little local variety
            z = commune_zipf * rng.lognormal(0.0, 0.25, len(procs))
        pair_unit.append(np.full(len(procs), u)), pair_proc.append(procs)
        pair_w.append(volume[u] * z / z.sum())
    pair_unit = np.concatenate(pair_unit).astype(np.int32)
    pair_proc = np.concatenate(pair_proc).astype(np.int32)
    pair_w = np.concatenate(pair_w)
    pair_cdf = np.cumsum(pair_w) / pair_w.sum()

    # ---- per-unit profiles, calibrated to the real province-wide rates
    def raw(sd, bias=None):
        z = rng.normal(0.0, sd, n_units)
        return z if bias is None else z + bias

    on_time_bias = np.zeros(n_units)
    for code, _, _, b in DEPARTMENTS:
        on_time_bias[dept_ids[code]] = b
    on_time = _calibrate(raw(1.2, on_time_bias), volume, 0.70, 1.0, 0.772)
    e_result = _calibrate(raw(0.9), volume, 0.40, 1.0, 0.72)
    pay_bias = np.zeros(n_units)
    for code, b in _PAY_BIAS.items():
        pay_bias[dept_ids[code]] = b
    pay_online = _calibrate(raw(1.6, pay_bias), volume, 0.10, 0.90, 0.855)
    online = _calibrate(raw(0.7), volume, 0.30, 0.60, 0.45)
    digitized = _calibrate(raw(0.9), volume, 0.02, 0.45, 0.158)
    reused = _calibrate(raw(0.8), volume, 0.0, 0.06, 0.0172)
    population = _calibrate(raw(0.5), volume, 0.30, 0.80, 0.55)
    synced = _calibrate(raw(0.5), volume, 0.93, 1.0, 0.985)

    # channel: online only for procedures offered online, so scale up within the unit
    capable_w = np.bincount(pair_unit, weights=pair_w * p_online_ok[pair_proc], minlength=n_units)
    total_w = np.bincount(pair_unit, weights=pair_w, minlength=n_units)
    capable_share = np.divide(capable_w, total_w, out=np.ones(n_units), where=total_w > 0)
    pair_online_p = np.where(
        p_online_ok[pair_proc],
        np.minimum(0.97, online[pair_unit] / np.maximum(capable_share[pair_unit], 1e-9)),
        0.0,
    )
    # Dossiers received outside office hours are online and drawn in proportion to each pair's
    # online volume; in office hours a pair is online with the rest of its share.
    online_pairs = np.flatnonzero(pair_online_p > 0)
    ow = pair_w[online_pairs] * pair_online_p[online_pairs]
    online_cdf = np.cumsum(ow) / ow.sum()
    online_total = float(pair_w @ pair_online_p) / pair_w.sum()
    pair_office_online_p = np.clip(
        pair_online_p * (1 - _OUTSIDE_OFFICE / online_total) / (1 - _OUTSIDE_OFFICE), 0.0, 1.0
    )

    return _World(
        units=units, procedures=procedures, unit_codes=[""] + codes,
        on_time=on_time, e_result=e_result, pay_online=pay_online, digitized=digitized,
        reused=reused, population=population, synced=synced,
        p_unit=p_unit, p_limit=p_limit, p_fee=p_fee, p_per_page=p_per_page, p_doc=p_doc,
        p_online_ok=p_online_ok, p_individuals=p_individuals,
        pair_unit=pair_unit, pair_proc=pair_proc, pair_cdf=pair_cdf,
        pair_office_online_p=pair_office_online_p, online_pairs=online_pairs,
        online_cdf=online_cdf,
    )


# --------------------------------------------------------------------------------------------
# One chunk
# --------------------------------------------------------------------------------------------


@dataclass
class _Context:
    world: _World
    cal: CalendarArrays
    seed: int
    day_counts: np.ndarray  # dossiers received on each day of the period
    day_cum: np.ndarray  # their cumulative sum
    day_first: int  # calendar day index of the first day of the period
    snapshot_local: int
    snapshot_pos: int
    code_bytes: np.ndarray  # (n_units, max_len) uint8
    code_len: np.ndarray
    ymd_bytes: np.ndarray  # (n_days, 6) uint8: yymmdd of each calendar day
    dicts: dict[str, pa.Array]
    carry_day: int = -1
    carry_counts: np.ndarray | None = None


def _reception_times(ctx: _Context, first_row: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Calendar-day index and local time of day (µs) of rows [first_row, first_row + n).

    Each day's times come from that day's own random stream and are sorted, and the chunk takes
    its slice of them; so rows are in reception order across chunks, whatever the chunk size
    (a day split between two chunks is drawn identically by both)."""
    cal = ctx.cal
    lo = int(np.searchsorted(ctx.day_cum, first_row, side="right"))
    hi = int(np.searchsorted(ctx.day_cum, first_row + n - 1, side="right"))
    days, times = [], []
    for d in range(lo, hi + 1):
        end = int(ctx.day_cum[d])
        count = int(ctx.day_counts[d])
        begin = end - count
        a, b = max(first_row, begin) - begin, min(first_row + n, end) - begin
        day = ctx.day_first + d
        t = np.sort(_day_times(cal, np.random.default_rng([ctx.seed, 0x7D, d]), count,
                               bool(cal.is_working[day])))
        days.append(np.full(b - a, day, dtype=np.int64))
        times.append(t[a:b])
    return np.concatenate(days), np.concatenate(times)


def _day_times(cal: CalendarArrays, rng: np.random.Generator, count: int, working: bool):
    """``count`` reception times of day (µs): on a working day in office periods (mornings
    busier) except a share of online submissions outside them; otherwise 06:00–23:00."""
    if not working:
        return (_uniform(rng, count, 6, 23) * 3600 * _US).astype(np.int64)
    lengths = (cal.ends - cal.starts).astype(float)
    pw = lengths * np.r_[1.25, np.ones(len(lengths) - 1)]
    period = np.minimum(
        np.searchsorted(np.cumsum(pw) / pw.sum(), rng.random(count), side="right"), len(pw) - 1
    )
    office = cal.starts[period] + (rng.random(count) * lengths[period]).astype(np.int64)
    # outside office hours, between 06:00 and 23:00
    gaps_lo = np.r_[6 * 3600 * _US, cal.ends]
    gaps_hi = np.r_[cal.starts, 23 * 3600 * _US]
    gl = (gaps_hi - gaps_lo).astype(float)
    g = np.minimum(np.searchsorted(np.cumsum(gl) / gl.sum(), rng.random(count), side="right"), len(gl) - 1)
    outside = gaps_lo[g] + (rng.random(count) * gl[g]).astype(np.int64)
    return np.where(rng.random(count) < _OFF_HOURS_SHARE, outside, office)


def _uniform(rng, n, lo, hi):
    return lo + (hi - lo) * rng.random(n)


def _ts(cal: CalendarArrays, local_us: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    utc = cal.to_utc_us(local_us)
    if valid is None:
        return pa.array(utc, type=TS)
    return pa.array(utc, type=TS, mask=~valid)


def _dict(indices: np.ndarray, dictionary: pa.Array, valid: np.ndarray | None = None) -> pa.Array:
    idx = pa.array(indices.astype(np.int8), mask=None if valid is None else ~valid)
    return pa.DictionaryArray.from_arrays(idx, dictionary)


def _generate_chunk(ctx: _Context, rng: np.random.Generator, first_row: int, n: int) -> pa.Table:
    w, cal = ctx.world, ctx.cal
    D = cal.day_us

    # ---- reception: day and time (in order), then unit, procedure and channel ----------------
    di, tod = _reception_times(ctx, first_row, n)
    received = (di + cal.day0) * _DAY_US + tod
    in_office = cal.is_working[di] & cal.in_office_period(tod)
    del tod
    # in office hours: any unit and procedure, online with the pair's office-hours probability;
    # outside them (evenings, lunch, weekends, holidays): online submissions only
    pair = np.searchsorted(w.pair_cdf, rng.random(n), side="right")
    pick = np.searchsorted(w.online_cdf, rng.random(n), side="right")
    pair = np.where(in_office, pair, w.online_pairs[np.minimum(pick, len(w.online_pairs) - 1)])
    pair = np.minimum(pair, len(w.pair_unit) - 1)
    del pick
    online = ~in_office | (rng.random(n) < w.pair_office_online_p[pair])
    channel = np.where(online, 2, np.where(rng.random(n) < 0.03, 1, 0)).astype(np.int8)
    unit = w.pair_unit[pair]
    proc = w.pair_proc[pair]
    del pair, in_office

    # ---- deadlines --------------------------------------------------------------------------
    t_unit = w.p_unit[proc]
    appointment = cal.appointment(received, w.p_limit[proc], t_unit)
    recv_pos = cal.position(received)
    window = cal.position(appointment) - recv_pos  # > 0: working time until the appointment

    # ---- outcome ----------------------------------------------------------------------------
    r = rng.random(n)
    refused = r < np.where(online, 0.018, 0.004)
    withdrawn = ~refused & (r > 0.991)
    stopped = ~refused & (r > 0.987) & ~withdrawn
    closed_kind = refused | withdrawn | stopped
    normal = ~closed_kind
    r = rng.random(n)
    n_supp = np.where(normal & (r < 0.0052), 2, np.where(normal & (r < 0.0566), 1, 0)).astype(np.int8)
    late = normal & ((rng.random(n) > w.on_time[unit]) | (n_supp == 2))

    # processing time P (working µs, clock running) and supplement pause S
    frac = rng.beta(2.0, 1.4, n)
    total_on = np.maximum((frac * window).astype(np.int64), np.minimum(window, 10 * _MINUTE_US))
    pause_on = np.where(n_supp > 0, (total_on * _uniform(rng, n, 0.15, 0.5)).astype(np.int64), 0)
    late_by = (window * rng.exponential(0.35, n)).astype(np.int64) + 30 * _MINUTE_US
    pause_late = np.where(
        n_supp > 0, (np.maximum(window, D) * _uniform(rng, n, 0.1, 0.5)).astype(np.int64), 0
    )
    proc_t = np.where(late, window + late_by, total_on - pause_on)
    pause = np.where(late, pause_late, pause_on)
    del frac, total_on, pause_on, late_by, pause_late
    pause1 = np.where(n_supp == 2, (pause * _uniform(rng, n, 0.3, 0.7)).astype(np.int64), pause)
    r1 = np.clip((proc_t * _uniform(rng, n, 0.05, 0.5)).astype(np.int64), 1, None)
    r2 = r1 + ((proc_t - r1) * _uniform(rng, n, 0.1, 0.6)).astype(np.int64)
    BIG = np.iinfo(np.int64).max // 4
    req1 = np.where(n_supp >= 1, recv_pos + r1, BIG)
    rec1 = np.where(n_supp >= 1, req1 + pause1, BIG)
    req2 = np.where(n_supp == 2, recv_pos + r2 + pause1, BIG)
    rec2 = np.where(n_supp == 2, req2 + (pause - pause1), BIG)
    finished = recv_pos + proc_t + pause
    del r1, r2, pause1
    ret_delay = np.where(rng.random(n) < 0.45, 0, (D * rng.exponential(0.6, n)).astype(np.int64))
    never_returned = rng.random(n) < 0.015
    returned = np.where(never_returned, BIG, finished + ret_delay)
    del ret_delay, never_returned
    closed = recv_pos + np.maximum((window * _uniform(rng, n, 0.05, 0.9)).astype(np.int64), 1)
    closed = np.where(closed_kind, closed, BIG)

    # ---- censor at the snapshot -------------------------------------------------------------
    T = ctx.snapshot_pos
    is_finished = normal & (finished <= T)
    is_returned = is_finished & (returned <= T)
    is_closed = (withdrawn | stopped) & (closed <= T)
    supp_count = ((req1 <= T).astype(np.int8) + (req2 <= T).astype(np.int8)).astype(np.int8)
    last_req = np.where(req2 <= T, req2, req1)
    last_rec = np.where(req2 <= T, rec2, rec1)
    has_req = supp_count > 0
    has_rec = has_req & (last_rec <= T)
    del req1, req2, rec1, rec2

    # ---- payment ----------------------------------------------------------------------------
    fee_base = w.p_fee[proc]
    pages = rng.integers(1, 7, n)
    fee = np.where(
        w.p_per_page[proc],
        fee_base * np.minimum(pages, 2) + (fee_base // 2) * np.maximum(pages - 2, 0),
        fee_base * np.where(rng.random(n) < 0.2, pages // 2 + 1, 1),
    )
    fee = np.where(rng.random(n) < 0.03, 0, fee).astype(np.int64)
    del fee_base, pages
    fee_due = (fee > 0) & ~refused
    pays_online = fee_due & (rng.random(n) < w.pay_online[unit])
    r = rng.random(n)
    at_submission = pays_online & (r < 0.65)
    on_request = pays_online & ~at_submission
    at_desk = fee_due & ~pays_online & (channel == 0) & (r < 0.6)
    at_return = fee_due & ~pays_online & ~at_desk
    paid_wall = received + (_uniform(rng, n, 1, 30) * _MINUTE_US).astype(np.int64)  # wall clock
    request_pos = recv_pos + (proc_t * _uniform(rng, n, 0.05, 0.4)).astype(np.int64) + 1
    paid_pos = np.minimum(request_pos + (D * _uniform(rng, n, 0.02, 0.8)).astype(np.int64), finished)
    paid_pos = np.where(on_request, paid_pos, np.where(at_return, np.minimum(returned, finished + D * 30), BIG))
    paid_pos = np.where(at_return & (returned >= BIG), finished, paid_pos)
    by_position = (on_request | at_return) & normal  # stopped/withdrawn never reach these
    paid_pos_ok = by_position & (paid_pos <= T)
    paid_wall_ok = (at_submission | at_desk) & (paid_wall <= ctx.snapshot_local)
    awaiting_payment = on_request & normal & (request_pos <= T) & (paid_pos > T)
    pay_channel = np.where(
        pays_online, np.where(rng.random(n) < 0.7, 0, 1), 2
    ).astype(np.int8)
    del r, request_pos

    # ---- status -----------------------------------------------------------------------------
    open_ = ~(is_finished | is_closed | refused)
    status = np.full(n, 4, dtype=np.int8)
    status[open_ & (recv_pos > T - D // 4)] = 2
    status[open_ & awaiting_payment] = 6
    status[open_ & has_req & ~has_rec] = 5
    status[is_finished] = 9
    status[is_returned] = 10
    status[refused] = 3
    status[withdrawn & is_closed] = 7
    status[stopped & is_closed] = 8
    del awaiting_payment

    # ---- positions → timestamps -------------------------------------------------------------
    def at(pos, valid):
        return cal.instant(np.where(valid, pos, recv_pos + 1))

    finished_local = at(finished, is_finished)
    returned_local = at(returned, is_returned)
    closed_local = at(closed, is_closed)
    # refusals happen at the desk within hours, never after the snapshot
    refusal_delay = np.minimum(
        (_uniform(rng, n, 5, 240) * _MINUTE_US).astype(np.int64), (ctx.snapshot_local - received) // 2
    )
    closed_local = np.where(refused, received + refusal_delay, closed_local)
    closed_valid = is_closed | refused
    req_local = at(last_req, has_req)
    rec_local = at(last_rec, has_rec)
    paid_valid = paid_pos_ok | paid_wall_ok
    paid_local = np.where(paid_wall_ok, paid_wall, at(paid_pos, paid_pos_ok))
    del finished, returned, closed, last_req, last_rec, paid_pos, paid_wall, refusal_delay

    # ---- results, digitization, data reuse --------------------------------------------------
    doc = w.p_doc[proc]
    individual = w.p_individuals[proc] & (rng.random(n) < 0.95)
    signed = is_finished & doc & (rng.random(n) < w.e_result[unit])
    paper = is_finished & doc & (~signed | (rng.random(n) < 0.8))
    to_store = signed & individual & (rng.random(n) < 0.1)
    condition = ~doc | signed
    digitized = rng.random(n) < w.digitized[unit] * np.where(condition, 1.0, 0.35)
    reused = rng.random(n) < w.reused[unit]
    from_store = online & individual & (rng.random(n) < 0.05)
    population = rng.random(n) < np.where(individual, w.population[unit], 0.03)
    synced = rng.random(n) < w.synced[unit]
    # The fee recorded as an obligation payable online (fee data integrated with online payment):
    # about half of the dossiers paid online, as the portal's integrated procedures are ~60 % of
    # those with an online payment (Phú Thọ, 08/2026: 56 and 93 of 310).
    fee_obligation = pays_online & (rng.random(n) < 0.45)

    # ---- dossier codes <unit code>-<yymmdd>-<nnnn>, sequence of the unit's day ---------------
    n_units = len(ctx.code_len)
    key = di.astype(np.int64) * n_units + unit
    korder = np.argsort(key, kind="stable")  # stable: keeps reception order inside a group
    skey = key[korder]
    starts = np.r_[0, np.flatnonzero(skey[1:] != skey[:-1]) + 1]
    group_len = np.diff(np.r_[starts, n])
    rank = np.arange(n) - np.repeat(starts, group_len)
    seq = np.empty(n, dtype=np.int64)
    seq[korder] = rank + 1
    del key, korder, skey, starts, group_len, rank
    if ctx.carry_counts is not None:
        same = di == ctx.carry_day
        seq[same] += ctx.carry_counts[unit[same]]
    last_day = int(di[-1])
    counts = np.bincount(unit[di == last_day], minlength=n_units)
    if ctx.carry_counts is not None and last_day == ctx.carry_day:
        counts = counts + ctx.carry_counts
    ctx.carry_day, ctx.carry_counts = last_day, counts
    code = _codes(ctx, unit, di, seq)
    del seq

    # ---- the Arrow table --------------------------------------------------------------------
    dicts = ctx.dicts
    columns = {
        "dossier_id": pa.array(np.arange(first_row + 1, first_row + n + 1, dtype=np.int64)),
        "code": code,
        "procedure_id": pa.array(proc.astype(np.int32)),
        "unit_id": pa.array(unit.astype(np.int32)),
        "channel": _dict(channel, dicts["channel"]),
        "status": pa.array(status),
        "received_at": _ts(cal, received),
        "appointment_at": _ts(cal, appointment, ~refused),
        "finished_at": _ts(cal, finished_local, is_finished),
        "returned_at": _ts(cal, returned_local, is_returned),
        "closed_at": _ts(cal, closed_local, closed_valid),
        "supplement_count": pa.array(supp_count),
        "supplement_requested_at": _ts(cal, req_local, has_req),
        "supplement_received_at": _ts(cal, rec_local, has_rec),
        "fee_total_vnd": pa.array(fee),
        "paid_at": _ts(cal, paid_local, paid_valid),
        "payment_channel": _dict(pay_channel, dicts["payment_channel"], paid_valid),
        "fee_obligation": pa.array(fee_obligation),
        "result_signed": pa.array(signed),
        "result_paper": pa.array(paper),
        "result_to_personal_store": pa.array(to_store),
        "components_digitized": pa.array(digitized),
        "component_reused": pa.array(reused),
        "component_from_personal_store": pa.array(from_store),
        "population_verified": pa.array(population),
        "synced_national": pa.array(synced),
        "applicant_kind": _dict(np.where(individual, 0, 1), dicts["applicant_kind"]),
    }
    return pa.Table.from_pydict(columns, schema=DOSSIER_SCHEMA)


def _codes(ctx: _Context, unit: np.ndarray, di: np.ndarray, seq: np.ndarray) -> pa.Array:
    """Build the code strings as one Arrow buffer with numpy scatter writes (no Python loop)."""
    n = len(unit)
    width = max(4, len(str(int(seq.max())))) if n else 4
    ulen = ctx.code_len[unit]
    lengths = ulen + 8 + width
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    buf = np.empty(int(offsets[-1]), dtype=np.uint8)
    start = offsets[:-1].astype(np.int64)
    for j in range(ctx.code_bytes.shape[1]):
        m = ulen > j
        buf[start[m] + j] = ctx.code_bytes[unit[m], j]
    p = start + ulen
    buf[p] = 45  # '-'
    ymd = ctx.ymd_bytes[di]
    for k in range(6):
        buf[p + 1 + k] = ymd[:, k]
    buf[p + 7] = 45
    for k in range(width):
        buf[p + 8 + k] = 48 + (seq // 10 ** (width - 1 - k)) % 10
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(buf))


# --------------------------------------------------------------------------------------------
# The writer
# --------------------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def write_dossiers_parquet(
    out_dir: Path,
    rows: int,
    seed: int = 2026,
    chunk: int = 1_000_000,
    months: int = 12,
    last_month: date = date(2026, 11, 1),
    progress: Callable[[int, int], None] | None = None,
    calendar: WorkCalendar | None = None,
) -> Summary:
    """Write ``rows`` synthetic dossiers received over ``months`` months ending with
    ``last_month`` (its year and month count), plus the dimension tables, into ``out_dir``.

    Deterministic: the same (rows, seed, chunk, months, last_month) give identical files.
    ``progress(rows_done, rows)`` is called after each chunk. ``calendar`` defaults to
    :func:`build_calendar` over the years touched.
    """
    started = _time.perf_counter()
    rows, chunk, months = int(rows), int(chunk), int(months)
    if rows < 0:
        raise ValueError(f"rows must be ≥ 0, got {rows}")
    if chunk < 1:
        raise ValueError(f"chunk must be ≥ 1, got {chunk}")
    if months < 1:
        raise ValueError(f"months must be ≥ 1, got {months}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    first_day = _month_start(last_month, -(months - 1))
    snapshot_day = _month_start(last_month, 1)
    cal_start = date(first_day.year, 1, 1)
    cal_end = date(snapshot_day.year + 1, 12, 31)
    if calendar is None:
        calendar = build_calendar(cal_start.year, cal_end.year)
    cal = CalendarArrays(calendar, cal_start, cal_end)
    world = _build_world(seed)

    paths = {name: out_dir / f"{name}.parquet" for name in ("dossiers", "units", "procedures", "calendar")}
    pq.write_table(world.units, paths["units"])
    pq.write_table(world.procedures, paths["procedures"])
    pq.write_table(
        pa.table(
            {
                "date": pa.array(cal.dates.astype("datetime64[D]"), pa.date32()),
                "is_working_day": pa.array(cal.is_working),
                "working_day_ordinal": pa.array(cal.ordinal.astype(np.int32)),
                "day_number": pa.array(cal.dates.astype("datetime64[D]").astype(np.int64)),
            }
        ),
        paths["calendar"],
    )
    # The optional publication decisions (G1); `from_parquet` reads them when present.
    months_covered = [(m.year, m.month) for m in (_month_start(first_day, k) for k in range(months))]
    paths["publications"] = out_dir / "publications.parquet"
    pq.write_table(publications_table(world.units, world.procedures, calendar, months_covered, seed),
                   paths["publications"])
    # The optional register of electronic certified copies (E_CERTIFIED_COPY).
    paths["certified_copies"] = out_dir / "certified_copies.parquet"
    pq.write_table(certified_copies_table(world.units, seed, first_day, calendar.is_working_day),
                   paths["certified_copies"])

    # ---- dossiers per day over the whole period (so rows come out in reception order)
    day_first = (first_day - cal_start).days
    n_period = (snapshot_day - first_day).days
    dates = cal.dates[day_first : day_first + n_period]
    month_no = (dates.astype("datetime64[M]").astype(np.int64) % 12) + 1
    weekday = (dates.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    working = cal.is_working[day_first : day_first + n_period]
    weight = np.where(working, np.array(_WEEKDAY_SHAPE)[weekday], _NON_WORKING_SHAPE)
    month_idx = dates.astype("datetime64[M]").astype(np.int64)
    month_idx -= month_idx[0]
    month_sum = np.bincount(month_idx, weights=weight)
    shape = np.array([_MONTH_SHAPE[int(m)] for m in month_no])
    probs = weight / month_sum[month_idx] * shape
    probs /= probs.sum()
    day_counts = np.random.default_rng([seed, 0xDA]).multinomial(rows, probs)

    ymd = np.array([d.strftime("%y%m%d") for d in cal.dates.astype(object)], dtype="S6")
    codes = world.unit_codes
    max_len = max(len(c) for c in codes)
    code_bytes = np.zeros((len(codes), max_len), dtype=np.uint8)
    for i, c in enumerate(codes):
        code_bytes[i, : len(c)] = np.frombuffer(c.encode("ascii"), dtype=np.uint8)
    snapshot_local = (snapshot_day - _EPOCH).days * _DAY_US
    ctx = _Context(
        world=world,
        cal=cal,
        seed=seed,
        day_counts=day_counts,
        day_cum=np.cumsum(day_counts),
        day_first=day_first,
        snapshot_local=snapshot_local,
        snapshot_pos=int(cal.position(np.array([snapshot_local]))[0]),
        code_bytes=code_bytes,
        code_len=np.array([len(c) for c in codes], dtype=np.int64),
        ymd_bytes=np.frombuffer(ymd.tobytes(), dtype=np.uint8).reshape(-1, 6),
        dicts={
            "channel": pa.array(CHANNELS, pa.string()),
            "payment_channel": pa.array(PAYMENT_CHANNELS, pa.string()),
            "applicant_kind": pa.array(APPLICANT_KINDS, pa.string()),
        },
    )

    writer = pq.ParquetWriter(
        paths["dossiers"],
        DOSSIER_SCHEMA,
        compression="snappy",
        use_dictionary=["channel", "payment_channel", "applicant_kind", "status", "unit_id",
                        "procedure_id", "supplement_count"],
    )
    done = 0
    feedback = FeedbackSampler(cal, seed, snapshot_local, world.units)  # petitions.parquet, ratings.parquet
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = None
            for index, first in enumerate(range(0, rows, chunk)):
                n = min(chunk, rows - first)
                table = _generate_chunk(ctx, np.random.default_rng([seed, 0xC4, index]), first, n)
                feedback.add(table)
                if pending is not None:
                    pending.result()
                    done += pending_rows
                    if progress:
                        progress(done, rows)
                pending, pending_rows = pool.submit(writer.write_table, table), n
                del table
            if pending is not None:
                pending.result()
                done += pending_rows
                if progress:
                    progress(done, rows)
    finally:
        writer.close()
    paths.update(feedback.write(out_dir))

    return Summary(
        rows=rows,
        seconds=_time.perf_counter() - started,
        peak_rss_mb=_peak_rss_mb(),
        paths=paths,
    )
