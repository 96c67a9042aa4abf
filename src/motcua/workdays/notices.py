"""The government's calendar notices as data: days off, swapped and compensatory working days.

`notices.json` holds one line per occasion of an official text (a notice of the Ministry, a letter
of the Government Office, or the Labor Code itself where no notice was needed): the days off it
grants (``off``: dates or ``start/end`` ranges, weekly rest days included as the text states them),
the weekly rest days it turns into working days (``work``: làm bù), its document number, date,
issuer and link, and how it was checked (``checked``):

* ``text``: read in the document's own text (or a verbatim copy of it);
* ``news``: from secondary sources (news reports) only;
* ``law``: a day fixed by the Labor Code 2019 (Art. 112: the holidays; Art. 111(3): a holiday on a
  weekly rest day is compensated on the next working day), shown for completeness.

A notice beats the `holidays` package: its days off are off, its working days are working days
(`official_days`). A new notice is one more line of the file. Pure Python: no Django here, so the
demo's Parquet writer and the tests use the same data.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from .calendar import vietnam_public_holidays

NOTICES_FILE = Path(__file__).with_name("notices.json")
CHECKED = ("text", "news", "law")


@dataclass(frozen=True)
class Notice:
    occasion: str
    document: str
    issued: date
    issuer: str
    off: tuple[date, ...]
    work: tuple[date, ...]
    checked: str
    url: str
    note: str = ""

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(sorted(self.off + self.work))


def _date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: {text!r} is not a date YYYY-MM-DD") from None


def _days(items, where: str) -> tuple[date, ...]:
    days: list[date] = []
    for item in items:
        first, _, last = str(item).partition("/")
        start = _date(first, where)
        end = _date(last, where) if last else start
        if end < start:
            raise ValueError(f"{where}: range {item!r} ends before it starts")
        days.extend(start + timedelta(n) for n in range((end - start).days + 1))
    return tuple(days)


def parse_notice(raw: dict, where: str = "notice") -> Notice:
    missing = {"occasion", "document", "issued", "issuer", "off", "work", "checked", "url"} - raw.keys()
    if missing:
        raise ValueError(f"{where}: missing {', '.join(sorted(missing))}")
    if raw["checked"] not in CHECKED:
        raise ValueError(f"{where}: checked must be one of {', '.join(CHECKED)}, got {raw['checked']!r}")
    notice = Notice(
        occasion=raw["occasion"], document=raw["document"], issued=_date(raw["issued"], where),
        issuer=raw["issuer"], off=_days(raw["off"], where), work=_days(raw["work"], where),
        checked=raw["checked"], url=raw["url"], note=raw.get("note", ""),
    )
    if not notice.off and not notice.work:
        raise ValueError(f"{where}: a notice grants days off or working days")
    weekdays = [d for d in notice.work if d.weekday() < 5]
    if weekdays:
        raise ValueError(f"{where}: a swapped working day is a weekly rest day, not {weekdays[0]}")
    return notice


def parse_notices(raw: list, source: str = "notices") -> tuple[Notice, ...]:
    notices = tuple(parse_notice(item, f"{source}, notice {i + 1}") for i, item in enumerate(raw))
    kind: dict[date, tuple[str, str]] = {}
    for notice in notices:
        for day, what in [(d, "off") for d in notice.off] + [(d, "work") for d in notice.work]:
            other = kind.setdefault(day, (what, notice.occasion))
            if other[0] != what:
                raise ValueError(f"{source}: {day} is both a day off and a working day "
                                 f"({other[1]}; {notice.occasion})")
    return tuple(sorted(notices, key=lambda n: (n.days[0], n.occasion)))


def load_notices(path: Path | None = None) -> tuple[Notice, ...]:
    """The notices of ``path`` (default: the repository's `notices.json`), in date order."""
    return _load(Path(path or NOTICES_FILE))


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[Notice, ...]:
    with open(path, encoding="utf-8") as handle:
        return parse_notices(json.load(handle), str(path))


def notice_days(notices, years) -> tuple[set[date], set[date]]:
    """``(days off, working weekend days)`` the notices declare within ``years``."""
    wanted = set(years)
    off = {d for n in notices for d in n.off if d.year in wanted}
    work = {d for n in notices for d in n.work if d.year in wanted}
    return off, work


def official_days(years, notices=None) -> tuple[set[date], set[date]]:
    """``(holidays, working_weekend_days)``: the `holidays` package corrected by the notices, which win
    where they disagree (e.g. 12729/VPCP-KGVX: Friday 2/1/2026 off, Saturday 10/1/2026 worked)."""
    years = list(years)
    holidays, swapped = vietnam_public_holidays(years)
    off, work = notice_days(load_notices() if notices is None else notices, years)
    holidays = (holidays | off) - work
    swapped = (swapped - off) | work
    return holidays, swapped
