"""A re-run of the detection keeps every decision the facilitator made."""

from __future__ import annotations

from decimal import Decimal

import pytest

from symbiose.core.bundle.records import SynergyRecord
from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.services import (
    proposal_decide,
    proposals_sync_from_bundle,
    proposals_sync_from_detection,
    tonnes_per_year,
)
from symbiose.web.territory.models import Resource
from tests.web.synergies.place import MakeProposal, Place

pytestmark = pytest.mark.django_db


def pair(supplier: str, receiver: str, resource: str, score: str = "0.7",
         quantity: str | None = "2000", unit: str = "kg") -> SynergyRecord:
    return SynergyRecord(
        type="substitution", actor_ids=(supplier, receiver), resource=resource,
        supplier_id=supplier, receiver_id=receiver, score=Decimal(score),
        distance_km=Decimal("4.0"), quantity=Decimal(quantity) if quantity else None,
        unit=unit if quantity else "", explanation=f"{supplier} → {receiver}: {resource}")


def pool(*actors: str) -> SynergyRecord:
    return SynergyRecord(type="pooling", actor_ids=actors, resource="Palettes bois",
                         score=Decimal("0.5"), distance_km=Decimal("2.0"),
                         explanation="Collecte groupée")


def test_new_records_come_in_to_review_with_family_and_tonnes(place: Place) -> None:
    Resource.objects.create(actor=place.actors["fromagerie"], external_id="w", year=2025,
                            direction="out", label="Lactosérum", resource_class="")
    counts = proposals_sync_from_detection(
        territory=place.territory, by=None,
        records=[pair("fromagerie", "ferme", "Lactosérum"), pool("ferme", "garage")])
    assert counts["created"] == 2
    whey = Proposal.objects.get(type="substitution")
    assert (whey.origin, whey.decision) == ("engine", "pending")
    assert whey.tonnes_per_year == Decimal("2.000")
    assert whey.resource_family  # classified from the supplier's line label
    assert [m.actor.external_id for m in whey.members.all()] == ["fromagerie", "ferme"]
    pooled = Proposal.objects.get(type="pooling")
    assert pooled.resource_family and pooled.tonnes_per_year is None


def test_rerun_keeps_decisions_and_removes_only_stale_pending(
        place: Place, make_proposal: MakeProposal) -> None:
    by = place.users["facilitator"]
    records = [pair("fromagerie", "ferme", "Lactosérum"), pair("scierie", "ferme", "Sciure"),
               pair("garage", "ferme", "Huile"), pair("scierie", "garage", "Chutes"),
               pair("fromagerie", "garage", "Cartons")]
    proposals_sync_from_detection(territory=place.territory, records=records, by=by)
    get = {p.resource: p for p in Proposal.objects.all()}
    proposal_decide(proposal=get["Lactosérum"], decision="kept", by=by)
    get["Lactosérum"].owner, get["Lactosérum"].stage = "Camille", "study"
    get["Lactosérum"].save()
    proposal_decide(proposal=get["Sciure"], decision="dropped", drop_reason="not_feasible",
                    note="trop loin", by=by)
    proposal_decide(proposal=get["Huile"], decision="duplicate",
                    duplicate_of=get["Lactosérum"], by=by)
    manual = make_proposal("garage", "scierie", resource="Bidons", origin="manual",
                           decision="kept")
    imported = make_proposal("ferme", "garage", resource="Fumier", origin="bundle")
    # The second run finds the same synergies with new figures, except two of them.
    second = [pair("fromagerie", "ferme", "Lactosérum", score="0.9", quantity="3000"),
              pair("scierie", "ferme", "Sciure", score="0.95")]
    counts = proposals_sync_from_detection(territory=place.territory, records=second, by=by)
    assert counts == {"created": 0, "updated": 2, "removed": 2}
    whey = Proposal.objects.get(pk=get["Lactosérum"].pk)
    assert (whey.decision, whey.stage, whey.owner) == ("kept", "study", "Camille")
    assert whey.score == Decimal("0.9") and whey.tonnes_per_year == Decimal("3.000")
    sawdust = Proposal.objects.get(pk=get["Sciure"].pk)
    assert (sawdust.decision, sawdust.drop_reason, sawdust.decision_note) == (
        "dropped", "not_feasible", "trop loin")  # it does not come back as pending
    oil = Proposal.objects.get(pk=get["Huile"].pk)
    assert oil.decision == "duplicate" and oil.duplicate_of_id == whey.pk
    assert Proposal.objects.filter(pk__in=[manual.pk, imported.pk]).count() == 2
    left = set(Proposal.objects.values_list("resource", flat=True))
    assert "Chutes" not in left and "Cartons" not in left  # engine, pending, gone
    # A third run bringing them back creates them anew, to review.
    counts = proposals_sync_from_detection(territory=place.territory, by=by,
                                           records=[*second, records[3]])
    assert counts["created"] == 1
    assert Proposal.objects.get(resource="Chutes").decision == "pending"


def test_bundle_sync_still_upserts(place: Place) -> None:
    records = [pair("fromagerie", "ferme", "Lactosérum")]
    assert proposals_sync_from_bundle(territory=place.territory, records=records)[
        "created"] == 1
    assert proposals_sync_from_bundle(territory=place.territory, records=records)[
        "unchanged"] == 1
    assert Proposal.objects.get().origin == "bundle"


@pytest.mark.parametrize(("quantity", "unit", "tonnes"), [
    ("1500", "kg", Decimal("1.500")), ("2", "t", Decimal("2.000")), ("30", "m3", None),
    (None, "t", None), ("5", "", None)])
def test_tonnes_per_year(quantity: str | None, unit: str, tonnes: Decimal | None) -> None:
    assert tonnes_per_year(Decimal(quantity) if quantity else None, unit) == tonnes
