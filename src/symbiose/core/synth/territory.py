"""A realistic synthetic territory: sector mix, flows by sector, spatial clusters.

Actors are drawn from a sector mix close to a French intercommunality's (many services,
construction and trade; some food, metal, wood, plastics and logistics industry; farms,
health and public bodies), placed mostly in business parks (Gaussian clusters of about
1.5 km) scattered over a region, a few isolated and a few without coordinates. Their
resources are drawn from the likely flows of their activity (`knowledge.flows`), worded as
facilitators write them: the flow's label, the class's French or English label or one of
its synonyms; quantities scale with headcount. Same seed, same territory.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

from symbiose.core.bundle.records import ActorRecord, ResourceRecord
from symbiose.core.classes.vocabulary import resource_classes
from symbiose.core.knowledge.flows import LikelyFlow, likely_flows
from symbiose.core.nomenclature.naf import naf_codes

SECTOR_MIX = {  # NACE division -> weight
    "01": 8, "10": 5, "11": 1, "16": 2, "17": 1, "20": 1, "22": 2, "23": 2, "24": 1,
    "25": 5, "28": 2, "33": 2, "35": 1, "38": 2, "41": 5, "42": 2, "43": 12, "45": 5,
    "46": 8, "47": 8, "49": 4, "52": 3, "55": 2, "56": 5, "62": 3, "81": 3, "84": 2,
    "86": 1, "87": 1, "88": 1,
}
REGION = (43.0, 49.5, -1.0, 7.0)  # lat min, lat max, lon min, lon max
ACTORS_PER_PARK = 40
PARK_SIGMA_KM = 1.5
ISOLATED = 0.15
UNLOCATED = 0.02


def synth_territory(actors: int, seed: int = 0, resources: int | None = None,
                    ) -> tuple[list[ActorRecord], list[ResourceRecord]]:
    """`actors` actors and about `resources` resources (default: what their flows give)."""
    rng = random.Random(seed)
    by_division: dict[str, list[str]] = {}
    for code, activity in naf_codes().items():
        by_division.setdefault(activity.nace_division, []).append(code)
    divisions = [d for d in SECTOR_MIX if d in by_division]
    weights = [SECTOR_MIX[d] for d in divisions]
    parks = [(rng.uniform(REGION[0], REGION[1]), rng.uniform(REGION[2], REGION[3]))
             for _ in range(max(1, actors // ACTORS_PER_PARK))]
    flows_cache: dict[str, list[LikelyFlow]] = {}
    counts = _counts(rng, actors, resources)
    actor_rows: list[ActorRecord] = []
    resource_rows: list[ResourceRecord] = []
    for i in range(actors):
        division = rng.choices(divisions, weights)[0]
        naf = rng.choice(by_division[division])
        employees = max(1, int(rng.lognormvariate(2.5, 1.1)))
        lat, lon = _place(rng, parks)
        actor_id = f"a{i:06d}"
        actor_rows.append(ActorRecord(
            id=actor_id, name=f"Entreprise {i}", naf=naf, kind="company",
            lat=None if lat is None else Decimal(f"{lat:.5f}"),
            lon=None if lon is None else Decimal(f"{lon:.5f}"), employees=employees,
        ))
        flows = flows_cache.setdefault(division, likely_flows(division))
        count = None if counts is None else counts[i]
        resource_rows.extend(_resources(rng, actor_id, flows, employees, count))
    return actor_rows, resource_rows


def _place(rng: random.Random, parks: list[tuple[float, float]]) -> tuple[float | None,
                                                                         float | None]:
    draw = rng.random()
    if draw < UNLOCATED:
        return None, None
    if draw < UNLOCATED + ISOLATED:
        return rng.uniform(REGION[0], REGION[1]), rng.uniform(REGION[2], REGION[3])
    lat0, lon0 = rng.choice(parks)
    dlat = rng.gauss(0, PARK_SIGMA_KM) / 111.0
    dlon = rng.gauss(0, PARK_SIGMA_KM) / (111.0 * math.cos(math.radians(lat0)))
    return lat0 + dlat, lon0 + dlon


def _counts(rng: random.Random, actors: int, resources: int | None) -> list[int] | None:
    """Resources per actor summing exactly to `resources` (None: drawn from likelihoods)."""
    if resources is None or actors == 0:
        return None
    mean = resources / actors
    counts = [max(1, round(rng.gauss(mean, mean / 3))) for _ in range(actors)]
    gap = resources - sum(counts)
    while gap:
        i = rng.randrange(actors)
        if gap > 0 or counts[i] > 1:
            step = 1 if gap > 0 else -1
            counts[i] += step
            gap -= step
    return counts


def _resources(rng: random.Random, actor_id: str, flows: list[LikelyFlow], employees: int,
               count: int | None) -> list[ResourceRecord]:
    if count is None:
        chosen = [f for f in flows if rng.random() < f.likelihood]
    else:
        chosen = rng.choices(flows, [f.likelihood for f in flows], k=count)
    rows = []
    for n, flow in enumerate(chosen):
        quantity = None
        if flow.quantity is not None and rng.random() < 0.8:
            value = flow.quantity * employees * rng.lognormvariate(0, 0.5)
            quantity = Decimal(f"{value:.3g}") if value >= 1 else Decimal(f"{value:.3f}")
        rows.append(ResourceRecord(
            id=f"{actor_id}-{n}", actor_id=actor_id, direction=flow.direction,
            label=_wording(rng, flow), year=2024, ewc=flow.ewc if rng.random() < 0.6 else "",
            quantity=quantity, unit=flow.unit if quantity is not None else "",
        ))
    return rows


def _wording(rng: random.Random, flow: LikelyFlow) -> str:
    resource_class = resource_classes()[flow.class_id]
    draw = rng.random()
    if draw < 0.6 or not resource_class.synonyms:
        return flow.label
    if draw < 0.75:
        return resource_class.label_fr
    if draw < 0.85:
        return resource_class.label_en
    return rng.choice(resource_class.synonyms).capitalize()
