"""The transition table checked against the law, not against itself.

`LAW` below is written from the status table and lifecycle text of `shared/spec/one-stop.md`
(national status codes; Forms, Circular 03/2025/TT-VPCP), independently of
`motcua.dossiers.transitions`: for each status (None: no dossier yet), the statuses one action may
lead to. The test compares it with what the table allows, row by row.
"""
import pytest

from motcua.dossiers.transitions import TABLE, Status

# The numbers are the national codes, kept as plain integers on purpose (not the Status enum).
LAW: dict[int | None, set[int]] = {
    # Created by the first action: submitted online (1), received at the desk or by post (2), or
    # refused at the desk with the refusal slip, Mẫu 03 (3: "refused at reception").
    None: {1, 2, 3},
    # Online, awaiting reception: received (2), refused at reception (3), withdrawn (7).
    1: {2, 3, 7},
    # Received: processing starts (4); more documents (5) or payment (6) may be asked for; a
    # transfer between units (liên thông) keeps it received (2); the applicant may withdraw (7);
    # it may be stopped (8). Never refused: "refusal (status 3) happens only at reception, before
    # a dossier is received; after reception processing ends early only by a stop (status 8)".
    2: {2, 4, 5, 6, 7, 8},
    # In process: the next internal step or a transfer keeps it in process (4); supplement (5),
    # payment (6), withdrawal (7), stop (8), or processed (9).
    4: {4, 5, 6, 7, 8, 9},
    # More documents requested: the supplement arrives and the clock resumes (4); or withdrawn (7),
    # or stopped (8). No second request from here: "allowed once".
    5: {4, 7, 8},
    # Payment requested: paid, processing resumes (4); or withdrawn (7), or stopped (8).
    6: {4, 7, 8},
    # Processed: the result is signed (stays 9) and returned (10).
    9: {9, 10},
    # Ends: refused (3), withdrawn (7), stopped (8), returned (10).
    3: set(), 7: set(), 8: set(), 10: set(),
}
RECEIVED = {2, 4, 5, 6, 9}  # the statuses of a dossier that has been received


def table_successors(status: int | None) -> set[int]:
    current = None if status is None else Status(status)
    return {int(rule.to_status or current) for rule in TABLE.values() if current in rule.from_statuses}


def test_the_law_covers_every_national_status():
    assert set(LAW) - {None} == set(range(1, 10 + 1)) == {int(s) for s in Status}


@pytest.mark.parametrize("status", list(LAW), ids=lambda s: f"from-{s}")
def test_the_table_allows_exactly_what_the_law_allows(status):
    assert table_successors(status) == LAW[status]


def test_refusal_only_before_reception_and_a_stop_only_after():
    refused_from = {s for s, nexts in LAW.items() if 3 in nexts}
    stopped_from = {s for s, nexts in LAW.items() if 8 in nexts}
    assert refused_from == {None, 1} and not refused_from & RECEIVED
    assert stopped_from == RECEIVED - {9}  # every open received status; a processed one is returned
    assert {s for s in [None, *Status] if 3 in table_successors(s)} == refused_from
    assert {s for s in [None, *Status] if 8 in table_successors(s)} == stopped_from
