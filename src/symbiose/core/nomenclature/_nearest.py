"""Nearest valid spellings for a value that is not one, to tell people what they meant.

Ranking: fewest edits first (optimal string alignment, so a swap of two neighbouring
digits counts as one edit, via rapidfuzz), then the longest shared prefix, because
nomenclature codes are hierarchical and a shared prefix means a shared chapter or class,
then the caller's own tie-break (numeric closeness for codes), then table order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA, Prefix


def nearest(
    query: str,
    choices: Sequence[str],
    *,
    limit: int = 5,
    max_edits: int | None = None,
    tie_break: Callable[[str], float] | None = None,
) -> list[str]:
    """Return up to `limit` of `choices`, nearest to `query` first (see module docstring)."""
    if not query or not choices:
        return []
    scored = process.extract(
        query, choices, scorer=OSA.distance, limit=None, score_cutoff=max_edits
    )

    def key(item: tuple[str, int | float, int]) -> tuple[float, int, float, int]:
        choice, edits, index = item
        shared = Prefix.similarity(query, choice)
        return (edits, -shared, tie_break(choice) if tie_break else 0.0, index)

    return [choice for choice, _, _ in sorted(scored, key=key)[:limit]]
