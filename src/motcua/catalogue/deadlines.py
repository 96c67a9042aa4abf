"""The two deadlines of a published procedure (pure; dates only, on a `WorkCalendar`).

* **Decide by** (PUBLISH_ON_TIME): the publication decision (QĐCB) is dated at least 5 working
  days before its legal basis takes effect — 20 for a ministry's decision. On time ⇔ the working
  days in (decided_on, effective_on] are ≥ 5 (20); the latest such day is `decide_by`.
* **Publish by** (PUBLIC_UPDATE_ON_TIME): the procedure is public on the National Database at most
  5 working days after the decision — 10 for a ministry's. On time ⇔ the working days in
  (decided_on, published_on] are ≤ 5 (10); the last such day is `publish_by`.

Working days are counted with `WorkCalendar.working_day_ordinal` (holidays, swapped Saturdays),
exactly as the index engine counts them with the calendar table.
"""
from __future__ import annotations

from datetime import date

from motcua.workdays.calendar import WorkCalendar

DECIDE_BEFORE = 5
DECIDE_BEFORE_MINISTRY = 20
PUBLISH_WITHIN = 5
PUBLISH_WITHIN_MINISTRY = 10


def decide_before(ministry: bool) -> int:
    return DECIDE_BEFORE_MINISTRY if ministry else DECIDE_BEFORE


def publish_within(ministry: bool) -> int:
    return PUBLISH_WITHIN_MINISTRY if ministry else PUBLISH_WITHIN


def decide_by(calendar: WorkCalendar, effective_on: date, *, ministry: bool = False) -> date:
    """The last day a decision may be dated for a legal basis taking effect on `effective_on`."""
    return calendar.working_day_with_ordinal(calendar.working_day_ordinal(effective_on) - decide_before(ministry))


def decided_on_time(calendar: WorkCalendar, decided_on: date, effective_on: date | None, *,
                    ministry: bool = False) -> bool:
    """A decision without a legal-basis date has nothing to be late for."""
    if effective_on is None:
        return True
    gap = calendar.working_day_ordinal(effective_on) - calendar.working_day_ordinal(decided_on)
    return gap >= decide_before(ministry)


def publish_by(calendar: WorkCalendar, decided_on: date, *, ministry: bool = False) -> date:
    """The last day the procedure may appear on the National Database after a decision of `decided_on`."""
    return calendar.working_day_with_ordinal(calendar.working_day_ordinal(decided_on) + publish_within(ministry))


def published_on_time(calendar: WorkCalendar, decided_on: date, published_on: date, *,
                      ministry: bool = False) -> bool:
    gap = calendar.working_day_ordinal(published_on) - calendar.working_day_ordinal(decided_on)
    return gap <= publish_within(ministry)
