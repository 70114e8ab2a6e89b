"""What a solver phase returns: a slot per open request of a `Grid`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Placement:
    """Slot (from 0) of each open request, None when left out; `optimal` as proven."""

    slots: tuple[int | None, ...]
    optimal: bool
