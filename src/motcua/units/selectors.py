"""Reads of the organisation."""
from collections import defaultdict
from collections.abc import Iterable

from motcua.units.models import Officer, Role

_CHUNK = 500  # ids per query: under SQLite's and PostgreSQL's parameter limits


def heads_by_unit(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active heads of unit (lãnh đạo đơn vị) of each unit: one query per 500 units."""
    heads: dict[int, list[int]] = defaultdict(list)
    unit_ids = sorted(set(unit_ids))
    for i in range(0, len(unit_ids), _CHUNK):
        rows = (Officer.objects.filter(role=Role.HEAD, is_active=True, unit_id__in=unit_ids[i:i + _CHUNK])
                .order_by("pk").values_list("unit_id", "pk"))
        for unit_id, pk in rows:
            heads[unit_id].append(pk)
    return heads
