"""Declaring, verifying and estimating figures: versions added, never overwritten; bad
input refused with the field at fault and nothing saved lost."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from symbiose.web.audit.models import AuditEvent
from symbiose.web.ledger import selectors, services
from symbiose.web.ledger.models import LedgerEntry
from symbiose.web.ledger.services import LedgerRefused
from symbiose.web.synergies.models import Proposal
from tests.web.ledger.conftest import Park, synergy_make

pytestmark = pytest.mark.django_db


def _declare(park: Park, value: str = "118", unit: str = "t", year: int = 2025,
             metric: str = "tonnes") -> LedgerEntry:
    return services.entry_declare(
        synergy=park.sawdust, year=year, metric=metric, value=Decimal(value), unit=unit,
        declared_by=park.actors["scierie"], by=park.users["facilitator"])


def test_a_declaration_is_a_new_version_and_the_history_stays(park: Park) -> None:
    first = _declare(park, "118")
    second = _declare(park, "121500", "kg")
    assert second.previous == first and second.value == Decimal("121.5")
    assert second.given_value == "121500 kg" and second.unit == "t"
    assert [e.pk for e in selectors.entry_history(entry=second)] == [second.pk, first.pk]
    first.refresh_from_db()
    assert first.value == Decimal("118")  # untouched
    assert selectors.yearly_totals(territory=park.territory)[2025]["tonnes"].value == 121.5
    assert AuditEvent.objects.filter(detail__contains="declared").count() == 2


@pytest.mark.parametrize(("value", "unit", "field", "words"), [
    ("5", "MWh", "unit", "MWh"), ("-3", "t", "value", "négatif"),
    ("5", "furlongs", "unit", "furlongs"),
])
def test_an_impossible_figure_is_refused_and_nothing_saved_is_lost(
        park: Park, value: str, unit: str, field: str, words: str) -> None:
    kept = _declare(park, "118")
    with pytest.raises(LedgerRefused) as refused:
        _declare(park, value, unit)
    assert refused.value.field == field and words in str(refused.value)
    assert list(LedgerEntry.objects.all()) == [kept]


def test_a_declaration_from_outside_the_synergy_or_on_a_proposal_not_kept_is_refused(
        park: Park) -> None:
    with pytest.raises(LedgerRefused) as refused:
        services.entry_declare(synergy=park.sawdust, year=2025, metric="tonnes",
                               value=Decimal(1), unit="t",
                               declared_by=park.actors["imprimerie"], by=None)
    assert refused.value.field == "declared_by"
    pending = synergy_make(park.territory, park.actors["scierie"], park.actors["imprimerie"],
                           "Chutes", "3", decision=Proposal.Decision.PENDING)
    with pytest.raises(LedgerRefused, match="retenue"):
        services.entry_declare(synergy=pending, year=2025, metric="tonnes",
                               value=Decimal(1), unit="t", declared_by=None, by=None)
    with pytest.raises(LedgerRefused) as refused:
        _declare(park, year=1789)
    assert refused.value.field == "year"
    assert not LedgerEntry.objects.exists()


def test_a_verification_needs_evidence_and_a_verifier(park: Park) -> None:
    entry = _declare(park)
    with pytest.raises(LedgerRefused) as refused:
        services.entry_verify(entry=entry, verifier="Cabinet Audit", evidence="  ", by=None)
    assert refused.value.field == "evidence"
    with pytest.raises(LedgerRefused) as refused:
        services.entry_verify(entry=entry, verifier="", evidence="Bons de pesée", by=None)
    assert refused.value.field == "verifier"
    assert LedgerEntry.objects.count() == 1
    verified = services.entry_verify(entry=entry, verifier="Cabinet Audit",
                                     evidence="Bons de pesée 2025", by=None)
    assert verified.status == "verified" and verified.value == entry.value
    assert verified.previous == entry and verified.declared_by == entry.declared_by
    totals = selectors.yearly_totals(territory=park.territory)[2025]["tonnes"]
    assert totals.verified_share == 1.0 and totals.weakest == "verified"


def test_only_the_current_version_may_be_verified(park: Park) -> None:
    old = _declare(park, "100")
    _declare(park, "110")
    with pytest.raises(LedgerRefused, match="plus récente"):
        services.entry_verify(entry=old, verifier="X", evidence="Y", by=None)


def test_an_estimate_never_covers_a_declaration_and_names_its_factors(park: Park) -> None:
    _declare(park, "118")  # the sawdust's tonnes, declared
    added = services.ledger_estimate(territory=park.territory, year=2025, by=None)
    current = {(e.synergy_id, e.metric): e
               for e in selectors.entries_current(territory=park.territory, year=2025)}
    assert current[(park.sawdust.pk, "tonnes")].status == "declared"
    cardboard = current[(park.cardboard.pk, "co2e_t")]
    assert cardboard.status == "estimated" and "DESNZ 2025" in cardboard.sources
    assert current[(park.cardboard.pk, "tonnes")].value == Decimal("30")
    assert current[(park.cardboard.pk, "eur")].value == Decimal("2500")
    # Running it again adds nothing: the estimates have not changed.
    assert added > 0
    assert services.ledger_estimate(territory=park.territory, year=2025, by=None) == 0


def test_a_qualitative_score_is_bounded_and_the_latest_counts(park: Park) -> None:
    services.score_record(territory=park.territory, year=2025,
                          indicator="governance_steering", score=2, by=None)
    services.score_record(territory=park.territory, year=2025,
                          indicator="governance_steering", score=3, by=None)
    assert selectors.scores(territory=park.territory, year=2025)[
        "governance_steering"].score == 3
    with pytest.raises(LedgerRefused) as refused:
        services.score_record(territory=park.territory, year=2025,
                              indicator="governance_steering", score=5, by=None)
    assert refused.value.field == "score"
    with pytest.raises(LedgerRefused):
        services.score_record(territory=park.territory, year=2025, indicator="tonnes",
                              score=1, by=None)


def test_the_funnel_counts_the_programme(park: Park) -> None:
    synergy_make(park.territory, park.actors["scierie"], park.actors["imprimerie"],
                 "Chutes", None, stage=Proposal.Stage.STUDY)
    synergy_make(park.territory, park.actors["scierie"], park.actors["imprimerie"],
                 "Copeaux", None, decision=Proposal.Decision.DROPPED)
    funnel = selectors.funnel(territory=park.territory, year=timezone.localdate().year)
    assert funnel["actors_contacted"] == 4 and funnel["actors_engaged"] == 4
    assert funnel["synergies_potential"] == 3
    assert (funnel["synergies_studied"], funnel["synergies_implemented"],
            funnel["synergies_operational"]) == (3, 2, 2)
    assert funnel["workshops_held"] == 0 and funnel["meetings_held"] == 0


def test_declared_tonnes_carry_the_co2e_estimated_from_them_but_never_a_declared_one(
        park: Park) -> None:
    services.ledger_estimate(territory=park.territory, year=2025, by=None)
    before = selectors.entry_current(synergy=park.sawdust, year=2025, metric="co2e_t")
    assert before is not None and before.status == "estimated"
    _declare(park, str(2 * float(selectors.entry_current(
        synergy=park.sawdust, year=2025, metric="tonnes").value)))  # type: ignore[union-attr]
    after = selectors.entry_current(synergy=park.sawdust, year=2025, metric="co2e_t")
    assert after is not None and after.previous == before and after.status == "estimated"
    assert float(after.value) == pytest.approx(2 * float(before.value), rel=0.01)
    # A declared CO2e figure is the company's: new tonnes leave it as it is.
    declared = services.entry_declare(
        synergy=park.sawdust, year=2025, metric="co2e_t", value=Decimal("7"), unit="t",
        declared_by=park.actors["scierie"], by=None)
    _declare(park, "50")
    assert selectors.entry_current(synergy=park.sawdust, year=2025,
                                   metric="co2e_t") == declared


def test_a_declaration_adds_no_estimate_the_facilitator_has_not_asked_for(park: Park) -> None:
    _declare(park, "118")
    assert set(LedgerEntry.objects.values_list("metric", flat=True)) == {"tonnes"}
