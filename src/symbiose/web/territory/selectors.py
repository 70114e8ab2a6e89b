"""Reads of territories, actors and flow balances.

These reads know nothing of who asks: pages, exports and the API reach them only through
`symbiose.web.accounts.visibility`, which applies the reader's role.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from symbiose.core.bundle.records import ActorRecord, ResourceRecord
from symbiose.core.classify import classify
from symbiose.core.knowledge import LikelyFlow, likely_flows
from symbiose.web.territory.models import Actor, Resource, Territory


def territory_list() -> QuerySet[Territory]:
    return Territory.objects.annotate(actor_count=Count("actors")).order_by("name")


def territory_get(*, slug: str) -> Territory:
    return Territory.objects.get(slug=slug)


def territory_get_by_name(*, name: str) -> Territory | None:
    return Territory.objects.filter(name=name).first()


@dataclass(frozen=True)
class TerritoryOverview:
    actor_count: int
    resource_count: int
    output_count: int
    input_count: int
    latest_year: int | None
    actors_by_kind: list[tuple[str, int]]
    actors_by_engagement: list[tuple[str, int]]


def territory_overview(*, territory: Territory) -> TerritoryOverview:
    """The figures of the overview page: a handful of aggregate queries, none per actor."""
    actors = Actor.objects.filter(territory=territory)
    resources = Resource.objects.filter(actor__territory=territory)
    latest_year = resources.aggregate(latest=Max("year"))["latest"]
    current = resources.filter(year=latest_year) if latest_year else resources.none()
    counts = current.aggregate(
        total=Count("id"),
        outputs=Count("id", filter=Q(direction=Resource.Direction.OUT)),
        inputs=Count("id", filter=Q(direction=Resource.Direction.IN)),
    )
    kind_labels = dict(Actor.Kind.choices)
    by_kind = [
        (str(kind_labels.get(row["kind"], "—")), row["n"])
        for row in actors.values("kind").annotate(n=Count("id")).order_by("-n", "kind")
    ]
    engagement_labels = dict(Actor.Engagement.choices)
    by_engagement = [
        (str(engagement_labels.get(row["engagement"], "—")), row["n"])
        for row in actors.values("engagement").annotate(n=Count("id")).order_by("-n")
    ]
    return TerritoryOverview(
        actor_count=actors.count(),
        resource_count=counts["total"],
        output_count=counts["outputs"],
        input_count=counts["inputs"],
        latest_year=latest_year,
        actors_by_kind=by_kind,
        actors_by_engagement=by_engagement,
    )


def actor_list(*, territory: Territory) -> QuerySet[Actor]:
    """Actors with their commune, zone and the size of their latest flow balance."""
    return (
        Actor.objects.filter(territory=territory)
        .select_related("commune", "zone")
        .annotate(
            resource_count=Count("resources"),
            latest_year=Max("resources__year"),
        )
        .order_by("name")
    )


def actor_get(*, territory: Territory, external_id: str) -> Actor:
    return Actor.objects.select_related("commune", "zone").get(
        territory=territory, external_id=external_id
    )


def actor_latest_year(*, actor: Actor, before: int) -> int | None:
    """The latest year before `before` for which the actor has a flow balance."""
    latest: int | None = Resource.objects.filter(actor=actor, year__lt=before).aggregate(
        latest=Max("year"))["latest"]
    return latest


def actor_resources_by_year(*, actor: Actor) -> list[tuple[int, list[Resource], list[Resource]]]:
    """The actor's flow balances, latest year first: (year, outputs, inputs)."""
    by_year: dict[int, tuple[list[Resource], list[Resource]]] = {}
    for resource in Resource.objects.filter(actor=actor).order_by("-year", "id"):
        outputs, inputs = by_year.setdefault(resource.year, ([], []))
        (outputs if resource.direction == Resource.Direction.OUT else inputs).append(resource)
    return [(year, outputs, inputs) for year, (outputs, inputs) in by_year.items()]


def territory_actor_records(
    *, territory: Territory, actor_ids: frozenset[int] | None = None
) -> Iterator[ActorRecord]:
    """The territory's actors as bundle records, in the order they were entered (only
    `actor_ids` when given: the visibility rules decide them)."""
    actors = Actor.objects.filter(territory=territory)
    if actor_ids is not None:
        actors = actors.filter(pk__in=actor_ids)
    rows = (
        actors
        .select_related("commune", "zone")
        .order_by("id")
    )
    for actor in rows.iterator(chunk_size=2000):
        yield ActorRecord(
            id=actor.external_id,
            name=actor.name,
            naf=actor.naf_code,
            kind=actor.kind,
            lat=actor.latitude,
            lon=actor.longitude,
            commune=actor.commune.name if actor.commune else "",
            zone=actor.zone.name if actor.zone else "",
            employees=actor.employees,
            siret=actor.siret,
            address=actor.address,
            engagement=actor.engagement,
        )


def territory_resource_records(
    *, territory: Territory, actor_ids: frozenset[int] | None = None
) -> Iterator[ResourceRecord]:
    """Every resource of every year, grouped by actor in entry order, then as entered."""
    lines = Resource.objects.filter(actor__territory=territory)
    if actor_ids is not None:
        lines = lines.filter(actor_id__in=actor_ids)
    rows = (
        lines
        .order_by("actor_id", "id")
        .values_list(
            "external_id", "actor__external_id", "direction", "label", "year", "kind",
            "ewc_code", "quantity", "unit", "period", "cost_eur", "confidentiality",
            "resource_class", "notes",
        )
    )
    for row in rows.iterator(chunk_size=5000):
        (external_id, actor_id, direction, label, year, kind, ewc, quantity, unit, period,
         cost_eur, confidentiality, resource_class, notes) = row
        yield ResourceRecord(
            id=external_id, actor_id=actor_id, direction=direction, label=label, year=year,
            kind=kind, ewc=ewc, quantity=quantity, unit=unit, period=period,
            cost_eur=cost_eur, confidentiality=confidentiality,
            resource_class=resource_class, notes=notes,
        )


# Directory sort keys -> the ordering they mean (name breaks ties, so pages are stable).
ACTOR_SORTS = {
    "name": ("name",),
    "kind": ("kind", "name"),
    "naf": ("naf_code", "name"),
    "commune": ("commune__name", "name"),
    "zone": ("zone__name", "name"),
    "engagement": ("engagement", "name"),
    "resources": ("resource_count", "name"),
    "year": ("latest_year", "name"),
}


def actor_directory(
    *, territory: Territory, query: str = "", kind: str = "", zone: str = "",
    engagement: str = "", sort: str = "name",
) -> QuerySet[Actor]:
    """The actor list searched (name, NAF code, commune, SIRET), filtered and sorted, with
    each actor's line count and latest balance year counted in SQL."""
    actors = actor_list(territory=territory)
    query = query.strip()
    if query:
        compact = query.replace(" ", "").replace(".", "")
        match = (Q(name__icontains=query) | Q(naf_code__icontains=query)
                 | Q(commune__name__icontains=query) | Q(zone__name__icontains=query))
        if compact:
            match |= Q(siret__contains=compact)
            if len(compact) >= 3 and compact[:2].isdigit():
                # "1051" or "10.51a" finds "10.51A": the code is stored with its dot.
                dotted = f"{compact[:2]}.{compact[2:]}"
                match |= Q(naf_code__istartswith=dotted)
        actors = actors.filter(match)
    if kind:
        actors = actors.filter(kind=kind)
    if zone:
        actors = actors.filter(zone__name=zone)
    if engagement:
        actors = actors.filter(engagement=engagement)
    descending = sort.startswith("-")
    fields = ACTOR_SORTS.get(sort.lstrip("-"), ("name",))
    ordering = [f"-{f}" if descending and i == 0 else f for i, f in enumerate(fields)]
    return actors.order_by(*ordering, "id")


def territory_place_names(*, territory: Territory) -> tuple[list[str], list[str]]:
    """The names of the territory's communes and activity zones, for the pickers."""
    from symbiose.web.territory.models import Commune, Zone

    return (list(Commune.objects.filter(territory=territory).values_list("name", flat=True)),
            list(Zone.objects.filter(territory=territory).values_list("name", flat=True)))


def balance_lines(*, actor: Actor, year: int) -> tuple[list[Resource], list[Resource]]:
    """The actor's balance of one year: (outputs, inputs), in entry order."""
    outputs: list[Resource] = []
    inputs: list[Resource] = []
    for line in Resource.objects.filter(actor=actor, year=year).order_by("id"):
        (outputs if line.direction == Resource.Direction.OUT else inputs).append(line)
    return outputs, inputs


def balance_likely_flows(*, actor: Actor, year: int,
                         lines: list[Resource]) -> list[LikelyFlow]:
    """The flows the actor's activity probably has that its balance of `year` does not
    carry yet and that were not set aside."""
    from symbiose.web.territory.models import DiscardedLikelyFlow

    if not actor.naf_code:
        return []
    # A line typed before classes existed is compared by what its label says.
    present = {(line.direction, line.resource_class
                or classify(label=line.label, ewc=line.ewc_code).class_id) for line in lines}
    discarded = set(DiscardedLikelyFlow.objects.filter(actor=actor, year=year)
                    .values_list("direction", "class_id"))
    return [flow for flow in likely_flows(actor.naf_code, employees=actor.employees)
            if (flow.direction, flow.class_id) not in present | discarded]
