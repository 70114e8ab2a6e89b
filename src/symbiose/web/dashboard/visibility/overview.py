"""The territory's overview figures as a reader may see them: a facilitator sees every
figure; a member or an observer only figures covering at least K_MIN actors, and the
actors by kind and by engagement with small groups folded into "Other"."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext

from symbiose.web.accounts import anonymise
from symbiose.web.territory import selectors
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Resource


@dataclass(frozen=True)
class VisibleOverview:
    """The overview figures; a figure is None when it would cover fewer than K_MIN actors."""

    actor_count: int | None
    resource_count: int | None
    output_count: int | None
    input_count: int | None
    latest_year: int | None
    actors_by_kind: list[tuple[str, int]]
    actors_by_engagement: list[tuple[str, int]]


def overview_visible(*, viewer: Viewer) -> VisibleOverview:
    full = selectors.territory_overview(territory=viewer.territory)
    if viewer.sees_all:
        return VisibleOverview(**full.__dict__)
    other = gettext("Other (grouped to protect small groups)")

    def safe(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
        groups = [anonymise.Group(label, n, n) for label, n in rows]
        return [(g.label, g.value) for g in anonymise.k_anonymous(groups, other_label=other)]

    # Line counts are shown only when the lines come from at least K_MIN actors.
    contributors = (
        Resource.objects.filter(actor__territory=viewer.territory, year=full.latest_year or 0)
        .aggregate(
            all=Count("actor", distinct=True),
            out=Count("actor", distinct=True, filter=Q(direction=Resource.Direction.OUT)),
            inn=Count("actor", distinct=True, filter=Q(direction=Resource.Direction.IN)),
        )
    )
    k = anonymise.k_anonymous_count
    return VisibleOverview(
        actor_count=k(value=full.actor_count, actors=full.actor_count),
        resource_count=k(value=full.resource_count, actors=contributors["all"]),
        output_count=k(value=full.output_count, actors=contributors["out"]),
        input_count=k(value=full.input_count, actors=contributors["inn"]),
        latest_year=full.latest_year,
        actors_by_kind=safe(full.actors_by_kind),
        actors_by_engagement=safe(full.actors_by_engagement),
    )
