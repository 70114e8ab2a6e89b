"""Where synergies stood at a past date, from their dated stage changes (`StageChange`).

Read in two parts so that a caller counting many dates (the region's funnel of every
year) queries once and computes each date from the same rows: `stage_moves` reads the
dated moves, `stages_at` says where each synergy stood just before a date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet

from symbiose.web.synergies.models import Proposal, StageChange

# A synergy as it stands today: id, stage, when its stage last changed, when created.
Standing = tuple[int, str, datetime.datetime | None, datetime.datetime]
# A dated move: synergy id, the stage it moved to, when; in the order they happened.
Move = tuple[int, str, datetime.datetime]


def standings(proposals: QuerySet[Proposal]) -> list[Standing]:
    return list(proposals.values_list("pk", "stage", "stage_changed_at", "created_at")
                .order_by())


def stage_moves(proposals: QuerySet[Proposal]) -> list[Move]:
    """The dated moves of `proposals`, oldest first, in one query."""
    return list(StageChange.objects.filter(proposal__in=proposals).order_by("at", "id")
                .values_list("proposal_id", "stage", "at"))


def stages_at(standing: Iterable[Standing], moves: Iterable[Move], end: datetime.datetime
              ) -> dict[int, str]:
    """Synergy id -> the stage it stood at just before `end`: its last dated move before
    then (an idea before its first one); a synergy without any dated move stood at its
    stage since it last changed (else since it was created), an idea before. A move of
    a synergy not in `standing` is ignored."""
    stood = {pk: stage if (changed or created) < end else Proposal.Stage.IDEA
             for pk, stage, changed, created in standing}
    dated: set[int] = set()
    for pk, stage, at in moves:
        if pk not in stood:
            continue
        if pk not in dated:
            dated.add(pk)
            stood[pk] = Proposal.Stage.IDEA
        if at < end:
            stood[pk] = stage
    return stood
