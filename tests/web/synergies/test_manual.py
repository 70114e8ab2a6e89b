"""A synergy added by hand: kept at once, created once however often it is posted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from symbiose.web.synergies.models import Proposal
from tests.web.synergies.place import Place

pytestmark = pytest.mark.django_db


def _url(place: Place) -> str:
    return reverse("synergies:proposal_create", args=[place.territory.slug])


def test_create_pair_once_despite_double_submit(place: Place) -> None:
    client = place.client("facilitator")
    page = client.get(_url(place))
    token = page.context["token"]
    data = {"type": "substitution", "supplier": "Fromagerie du Bocage (fromagerie)",
            "receiver": "ferme", "resource": "Palettes bois", "quantity": "1500",
            "unit": "kilogrammes", "explanation": "Vu en atelier", "submission_token": token}
    first = client.post(_url(place), data)
    second = client.post(_url(place), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    proposal = Proposal.objects.get()
    assert (proposal.origin, proposal.decision, proposal.stage) == ("manual", "kept", "idea")
    assert proposal.supplier == place.actors["fromagerie"]
    assert proposal.receiver == place.actors["ferme"]
    assert (proposal.unit, proposal.tonnes_per_year) == ("kg", Decimal("1.500"))
    assert proposal.resource_family
    assert [m.actor_id for m in proposal.members.all()] == [place.actors["fromagerie"].pk,
                                                             place.actors["ferme"].pk]


def test_pooling_members_one_per_line(place: Place) -> None:
    client = place.client("facilitator")
    token = client.get(_url(place)).context["token"]
    response = client.post(_url(place), {
        "type": "pooling", "members": "Garage Central\nscierie\n\nFerme des Prés (ferme)",
        "resource": "Collecte des cartons", "submission_token": token})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.supplier is None
    assert [m.actor.external_id for m in proposal.members.all()] == ["garage", "scierie",
                                                                     "ferme"]


def test_messages_beside_each_field(place: Place) -> None:
    client = place.client("facilitator")
    response = client.post(_url(place), {
        "type": "substitution", "supplier": "Nobody", "receiver": "", "resource": "",
        "quantity": "12", "unit": "tonnnes", "submission_token": "t1"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"supplier", "receiver", "resource", "unit"}
    assert "tonnnes" in form.errors["unit"][0]
    body = response.content.decode()
    assert body.count('class="errorlist"') >= 4
    assert 'value="Nobody"' in body  # what was typed stays
    assert not Proposal.objects.exists()
    response = client.post(_url(place), {"type": "pooling", "members": "garage",
                                         "resource": "x", "submission_token": "t2"})
    assert "members" in response.context["form"].errors


def test_actor_search_options(place: Place) -> None:
    url = reverse("synergies:actor_options", args=[place.territory.slug])
    body = place.client("facilitator").get(url, {"supplier": "scie"}).content.decode()
    assert '<option value="Scierie Durand (scierie)">' in body
    assert "Garage" not in body
    assert place.client("member").get(url, {"q": "scie"}).status_code == 404


def test_only_facilitators_add(place: Place) -> None:
    assert place.client("member").get(_url(place)).status_code == 404
    assert place.client("observer").get(_url(place)).status_code == 404
