"""Model validation, as the admin runs it: codes normalised, unknown ones refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from symbiose.web.territory.models import Actor, Resource, Territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor() -> Actor:
    territory = Territory.objects.create(name="T", slug="t")
    return Actor.objects.create(territory=territory, external_id="a1", name="A")


def test_naf_spelling_is_normalised(actor: Actor) -> None:
    actor.naf_code = "2014"
    actor.full_clean()
    assert actor.naf_code == "20.14Z"


def test_unknown_naf_is_refused_with_suggestions(actor: Actor) -> None:
    actor.naf_code = "20.14X"
    with pytest.raises(ValidationError) as refused:
        actor.full_clean()
    assert "20.14Z" in str(refused.value.message_dict["naf_code"])


def test_ewc_and_unit_are_normalised(actor: Actor) -> None:
    line = Resource(actor=actor, external_id="r1", year=2026, direction="out", label="x",
                    ewc_code="16 02 13*", unit="tonnes")
    line.full_clean()
    assert (line.ewc_code, line.unit, line.ewc_display) == ("160213", "t", "16 02 13*")


def test_unknown_ewc_and_unit_are_refused(actor: Actor) -> None:
    line = Resource(actor=actor, external_id="r1", year=2026, direction="out", label="x",
                    ewc_code="99 99 99", unit="brouettes")
    with pytest.raises(ValidationError) as refused:
        line.full_clean()
    assert set(refused.value.message_dict) >= {"ewc_code", "unit"}


def test_database_refuses_a_negative_quantity(actor: Actor) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.create(actor=actor, external_id="r1", year=2026, direction="out",
                                label="x", quantity=Decimal("-1"))


def test_database_refuses_coordinates_out_of_range(actor: Actor) -> None:
    actor.latitude = Decimal("91")
    with pytest.raises(IntegrityError), transaction.atomic():
        actor.save()


def test_model_choices_follow_the_bundle_vocabulary() -> None:
    """The core's vocabulary and the database's choices must never drift apart."""
    from symbiose.core.bundle import records
    from symbiose.web.synergies.models import Proposal

    assert tuple(Actor.Kind.values) == records.ACTOR_KINDS
    assert tuple(Actor.Engagement.values) == records.ENGAGEMENTS
    assert tuple(Resource.Direction.values) == records.DIRECTIONS
    assert tuple(Resource.Kind.values) == records.RESOURCE_KINDS
    assert tuple(Resource.Period.values) == records.PERIODS
    assert tuple(Resource.Confidentiality.values) == records.CONFIDENTIALITIES
    assert tuple(Proposal.Type.values) == records.SYNERGY_TYPES
