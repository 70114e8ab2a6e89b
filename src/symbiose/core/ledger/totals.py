"""The current version of each figure and the yearly totals, with how sure they are.

An entry is never overwritten: a correction or a verification is a new version of the
same (synergy, year, figure), and the latest version is the one that counts. A total's
confidence is the weakest of what it adds up, and how much of it is verified.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

STATUSES = ("estimated", "declared", "verified")  # weakest first


@dataclass(frozen=True, slots=True)
class Entry:
    id: int  # a later version has a larger id
    synergy: int
    year: int
    metric: str
    value: float
    status: str


@dataclass(frozen=True, slots=True)
class Total:
    value: float
    entries: int
    verified_share: float  # of the value, 0..1
    weakest: str  # the weakest status among the entries


class Part(NamedTuple):
    """What the current figures of one status add up to: the pieces a total is summed
    from, so that totals computed apart (one per territory, by the database) add up to
    the same Total as the entries themselves would. A tuple: a region keeps thousands of
    them in its cache, and tuples are read back from it ten times faster."""

    status: str
    value: float
    entries: int


def total_of_parts(parts: Iterable[Part]) -> Total | None:
    """The Total of parts of any statuses (several parts of one status add up); None
    when there are none."""
    value, verified, entries, weakest = 0.0, 0.0, 0, len(STATUSES)
    for part in parts:
        value += part.value
        entries += part.entries
        verified += part.value if part.status == "verified" else 0.0
        weakest = min(weakest, STATUSES.index(part.status))
    if not entries:
        return None
    return Total(value, entries, verified / value if value else 0.0, STATUSES[weakest])


def current_entries(entries: Iterable[Entry]) -> list[Entry]:
    latest: dict[tuple[int, int, str], Entry] = {}
    for entry in entries:
        key = (entry.synergy, entry.year, entry.metric)
        if key not in latest or entry.id > latest[key].id:
            latest[key] = entry
    return sorted(latest.values(), key=lambda e: (e.year, e.metric, e.synergy))


def yearly_totals(entries: Iterable[Entry]) -> dict[int, dict[str, Total]]:
    """year -> metric -> Total, over the current version of each figure only."""
    sums: dict[tuple[int, str], list[Entry]] = {}
    for entry in current_entries(entries):
        sums.setdefault((entry.year, entry.metric), []).append(entry)
    totals: dict[int, dict[str, Total]] = {}
    for (year, metric), group in sorted(sums.items()):
        value = sum(e.value for e in group)
        verified = sum(e.value for e in group if e.status == "verified")
        weakest = min((e.status for e in group), key=STATUSES.index)
        totals.setdefault(year, {})[metric] = Total(
            value, len(group), verified / value if value else 0.0, weakest)
    return totals
