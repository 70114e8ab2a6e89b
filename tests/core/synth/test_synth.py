"""Synthetic territories: deterministic, realistic enough to match."""

from __future__ import annotations

from symbiose.core.matching import match
from symbiose.core.synth import synth_territory


def test_same_seed_same_territory() -> None:
    assert synth_territory(50, seed=7) == synth_territory(50, seed=7)
    assert synth_territory(50, seed=7) != synth_territory(50, seed=8)


def test_requested_resource_count_is_exact() -> None:
    actors, resources = synth_territory(200, seed=1, resources=2000)
    assert len(actors) == 200 and len(resources) == 2000
    ids = {a.id for a in actors}
    assert all(r.actor_id in ids for r in resources)
    assert {r.direction for r in resources} == {"in", "out"}


def test_a_synthetic_territory_yields_every_kind_of_proposal() -> None:
    actors, resources = synth_territory(300, seed=2, resources=3000)
    types = {p.type for p in match(actors, resources)}
    assert types == {"substitution", "sharing", "pooling"}
