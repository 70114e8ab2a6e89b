"""The funnel of a year counts each synergy at the stage it stood at on 31 December of
that year, from its dated stage changes: a synergy operational this year and studied last
year counts as studied in last year's funnel."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from symbiose.web.demo import demo_prepare
from symbiose.web.ledger import selectors
from symbiose.web.synergies.models import Proposal, StageChange
from symbiose.web.synergies.services import proposal_decide, proposal_stage_set
from symbiose.web.territory.models import Territory
from tests.web.ledger.conftest import Park, synergy_make

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1
FUNNEL_STAGES = ("synergies_potential", "synergies_studied", "synergies_implemented",
                 "synergies_operational")


def _on(year: int, month: int) -> datetime.datetime:
    return datetime.datetime(year, month, 10, 12, tzinfo=datetime.UTC)


def _stages(park: Park, year: int) -> tuple[int, int, int, int]:
    funnel = selectors.funnel(territory=park.territory, year=year)
    return (funnel["synergies_potential"], funnel["synergies_studied"],
            funnel["synergies_implemented"], funnel["synergies_operational"])


def _dated(park: Park, proposal: Proposal, created: datetime.datetime) -> Proposal:
    Proposal.objects.filter(pk=proposal.pk).update(created_at=created, decided_at=created)
    proposal.refresh_from_db()
    return proposal


def _lived(park: Park, resource: str, moves: list[tuple[str, datetime.datetime]]
           ) -> Proposal:
    """A kept synergy detected in January last year, moved through `moves`."""
    proposal = _dated(park, synergy_make(park.territory, park.actors["scierie"],
                                         park.actors["imprimerie"], resource, None,
                                         stage=Proposal.Stage.IDEA), _on(LAST_YEAR, 1))
    for stage, at in moves:
        proposal_stage_set(proposal=proposal, stage=stage, by=None, at=at,
                           reason="Le preneur a fermé")
    return proposal


@pytest.fixture
def history(park: Park) -> Park:
    """The park's two synergies (operational, with no dated change) made last year, and
    three that lived through the two years."""
    for synergy in (park.sawdust, park.cardboard):
        _dated(park, synergy, _on(LAST_YEAR, 2))
        Proposal.objects.filter(pk=synergy.pk).update(stage_changed_at=_on(LAST_YEAR, 5))
    _lived(park, "Chutes", [(Proposal.Stage.STUDY, _on(LAST_YEAR, 6)),
                            (Proposal.Stage.OPERATIONAL, _on(THIS_YEAR, 2))])
    _lived(park, "Copeaux", [(Proposal.Stage.STUDY, _on(LAST_YEAR, 3)),
                             (Proposal.Stage.IMPLEMENTATION, _on(LAST_YEAR, 9)),
                             (Proposal.Stage.ABANDONED, _on(THIS_YEAR, 1))])
    _lived(park, "Écorces", [(Proposal.Stage.STUDY, _on(THIS_YEAR, 1))])
    return park


def test_each_year_counts_the_stage_each_synergy_stood_at_then(history: Park) -> None:
    # Last year: the park's two operational, "Chutes" studied, "Copeaux" in
    # implementation, "Écorces" an idea.
    assert _stages(history, LAST_YEAR) == (5, 4, 3, 2)
    # This year: "Chutes" operational, "Copeaux" abandoned, "Écorces" studied.
    assert _stages(history, THIS_YEAR) == (5, 4, 3, 3)
    # Before anything was detected, nothing.
    assert _stages(history, LAST_YEAR - 1) == (0, 0, 0, 0)


def test_a_synergy_first_moved_keeps_the_stage_it_left_in_the_years_before(
        park: Park) -> None:
    """A synergy imported at its stage (no dated change yet) and moved this year: last
    year it stood at the stage it was imported with, since its last change."""
    proposal = _dated(park, synergy_make(park.territory, park.actors["scierie"],
                                         park.actors["imprimerie"], "Chutes", None,
                                         stage=Proposal.Stage.STUDY), _on(LAST_YEAR, 1))
    Proposal.objects.filter(pk=proposal.pk).update(stage_changed_at=_on(LAST_YEAR, 4))
    proposal.refresh_from_db()
    proposal_stage_set(proposal=proposal, stage=Proposal.Stage.OPERATIONAL, by=None,
                       at=_on(THIS_YEAR, 3))
    assert list(StageChange.objects.filter(proposal=proposal).values_list("stage", "at")) == [
        (Proposal.Stage.STUDY, _on(LAST_YEAR, 4)), (Proposal.Stage.OPERATIONAL, _on(THIS_YEAR, 3))]
    funnel = selectors.funnel(territory=park.territory, year=LAST_YEAR)
    assert funnel["synergies_studied"] == 1 and funnel["synergies_operational"] == 0


def test_a_synergy_kept_again_starts_over_as_an_idea(history: Park) -> None:
    """Back to review and kept again this year: it starts over as an idea this year, and
    last year still counts it where it stood."""
    chutes = Proposal.objects.get(resource="Chutes")
    proposal_decide(proposal=chutes, decision=Proposal.Decision.PENDING, by=None)
    Proposal.objects.filter(pk=chutes.pk).update(decided_at=None)
    chutes.refresh_from_db()
    proposal_decide(proposal=chutes, decision=Proposal.Decision.KEPT, by=None)
    assert _stages(history, THIS_YEAR) == (5, 3, 2, 2)
    assert _stages(history, LAST_YEAR)[1:] == (3, 3, 2)  # decided again this year


def test_actors_and_proposals_are_counted_from_when_they_were_known(history: Park) -> None:
    dropped = synergy_make(history.territory, history.actors["scierie"],
                           history.actors["chaufferie"], "Sciure humide", None,
                           decision=Proposal.Decision.DROPPED, stage=Proposal.Stage.IDEA)
    Proposal.objects.filter(pk=dropped.pk).update(created_at=_on(LAST_YEAR, 3),
                                                  decided_at=_on(THIS_YEAR, 2))
    # Dropped this year: still a potential synergy in last year's funnel, not in this one.
    assert _stages(history, LAST_YEAR)[0] == 6 and _stages(history, THIS_YEAR)[0] == 5
    funnel = selectors.funnel(territory=history.territory, year=LAST_YEAR - 1)
    # The park's actors were created now: none known two years ago.
    assert funnel["actors_contacted"] == 0 and funnel["actors_engaged"] == 0


def test_the_demo_funnel_tells_two_different_years() -> None:
    territory, _ = demo_prepare()
    conde = Territory.objects.get(slug="demo-conde")
    # Biscuit crumbs were studied last year and are operational this year.
    last, now = (selectors.funnel(territory=conde, year=year) for year in (LAST_YEAR, THIS_YEAR))
    assert [last[k] for k in FUNNEL_STAGES] == [3, 2, 1, 1]
    assert [now[k] for k in FUNNEL_STAGES] == [4, 4, 3, 2]
    # The demo park: two synergies operational since last year, one studied then.
    park = selectors.funnel(territory=territory, year=LAST_YEAR)
    assert (park["synergies_studied"], park["synergies_operational"]) == (3, 2)
    assert selectors.funnel(territory=territory, year=THIS_YEAR)["synergies_operational"] > 2
