"""Cards: pre-filled from the balance and the activity, confirmed by the company (its
consent for private lines), added in the room once however often the form is posted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from symbiose.web.audit.models import AuditEvent
from symbiose.web.workshops.models import Card, Pair
from tests.web.workshops.conftest import Room

pytestmark = pytest.mark.django_db


def test_invitation_prefills_drafts_from_the_latest_balance_and_likely_flows(room: Room) -> None:
    cards = Card.objects.filter(participant=room.participants["fromagerie"])
    from_balance = {c.label for c in cards if c.origin == Card.Origin.BALANCE}
    assert from_balance == {"Lactosérum", "Chaleur basse température"}
    assert all(c.status == Card.Status.DRAFT for c in cards)
    whey = cards.get(label="Lactosérum")
    assert whey.from_private_line and whey.quantity == 900
    # A dairy's activity brings likely flows beyond its balance (packaging, sludge…).
    assert cards.filter(origin=Card.Origin.LIKELY).exists()
    # Nothing is in the room before the companies confirm.
    assert not Card.objects.filter(workshop=room.workshop, status="confirmed").exists()


def test_the_company_confirms_on_its_link_and_pairs_appear(room: Room) -> None:
    client = room.client("observer")  # a link needs no account: any browser opens it
    client.logout()
    dairy, farm = room.participants["fromagerie"], room.participants["ferme"]
    page = client.get(reverse("workshops:link", args=[dairy.token]))
    assert page.status_code == 200 and "Lactosérum" in page.content.decode()
    whey = dairy.cards.get(label="Lactosérum")
    client.post(reverse("workshops:link_cards", args=[dairy.token]), {"keep": [whey.pk]})
    whey.refresh_from_db()
    assert whey.status == Card.Status.CONFIRMED
    # The unticked drafts are withdrawn, not left hanging.
    assert not dairy.cards.filter(status=Card.Status.DRAFT).exists()
    feed = farm.cards.get(label="Aliment pour porcs")
    client.post(reverse("workshops:link_cards", args=[farm.token]), {"keep": [feed.pk]})
    assert Pair.objects.filter(workshop=room.workshop, have=whey, want=feed).exists()
    # The trail names what acted without an account: the company's personal link.
    trail = AuditEvent.objects.filter(actor_id=dairy.actor_id, detail__contains="confirmed")
    assert trail.count() == 1 and trail.get().username in {"lien personnel", "personal link"}


def test_the_facilitator_cannot_confirm_a_private_line_for_the_company(room: Room) -> None:
    from symbiose.web.workshops import services

    dairy = room.participants["fromagerie"]
    ids = list(dairy.cards.values_list("pk", flat=True))
    services.cards_decide(participant=dairy, confirm=ids, withdraw=[], as_company=False,
                          by=room.users["facilitator"])
    confirmed = set(dairy.cards.filter(status="confirmed").values_list("label", flat=True))
    assert "Lactosérum" not in confirmed  # private: only the company may show it
    assert "Chaleur basse température" in confirmed


def _card_post(**extra: Any) -> dict[str, Any]:
    return {"side": "out", "label": "Palettes bois", "quantity": "12", "unit": "t",
            "client_key": "k-123", **extra}


def test_a_card_posted_twice_is_one_card(room: Room) -> None:
    client = room.client("member")
    url = reverse("workshops:card_add", args=[room.territory.slug, room.workshop.pk])
    body = _card_post(participant=room.participants["fromagerie"].pk)
    first = client.post(url, body)
    second = client.post(url, body)
    assert first.status_code == second.status_code == 302
    assert Card.objects.filter(workshop=room.workshop, label="Palettes bois").count() == 1
    card = Card.objects.get(label="Palettes bois")
    assert card.status == "confirmed" and card.resource_class  # classified from the label


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"label": "  "}, "label", "label is empty"),
    ({"quantity": "-5"}, "quantity", "negative"),
    ({"unit": "furlongs"}, "unit", "Unknown unit"),
    ({"unit": ""}, "unit", "unit of the quantity"),
])
def test_a_bad_card_is_refused_beside_its_field(room: Room, change: dict[str, str],
                                                  field: str, words: str) -> None:
    client = room.client("member")
    client.cookies.load({"django_language": "en"})
    url = reverse("workshops:card_add", args=[room.territory.slug, room.workshop.pk])
    before = Card.objects.count()
    response = client.post(url, _card_post(participant=room.participants["fromagerie"].pk,
                                           **change), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.context["card_form"].errors
    assert field in errors and words.lower() in " ".join(errors[field]).lower()
    assert Card.objects.count() == before


def test_a_member_may_not_add_a_card_for_another_company(room: Room) -> None:
    client = room.client("member")
    url = reverse("workshops:card_add", args=[room.territory.slug, room.workshop.pk])
    response = client.post(url, _card_post(participant=room.participants["scierie"].pk))
    assert response.status_code == 404
    assert not Card.objects.filter(label="Palettes bois").exists()


def test_a_card_shows_as_text_in_the_room_and_on_the_projector(room: Room) -> None:
    """The room's cards are drawn in Python (templatetags/workshop_cards.py), outside the
    template engine's escaping: a label or note that is markup must still arrive as text."""
    client = room.client("member")
    hostile = "<img src=x onerror=alert(1)>"
    url = reverse("workshops:card_add", args=[room.territory.slug, room.workshop.pk])
    client.post(url, _card_post(participant=room.participants["fromagerie"].pk,
                                label=f"Fûts vides {hostile}", note=f"Note {hostile}"))
    card = Card.objects.get(workshop=room.workshop, label__startswith="Fûts vides")
    assert card.status == Card.Status.CONFIRMED
    for page, with_company in (("workshops:room", True), ("workshops:projector", False)):
        html = room.client("facilitator").get(
            reverse(page, args=[room.territory.slug, room.workshop.pk])).content.decode()
        shown = html[html.index(f'id="card-{card.pk}"'):]
        shown = shown[:shown.index("</li>")]
        assert shown.count("&lt;img src=x onerror=alert(1)&gt;") == 2 and "<img" not in shown
        assert "12 t/" in shown
        assert ("Fromagerie du Bocage" in shown) is with_company


def test_a_card_s_unit_reads_in_the_reader_s_language(room: Room) -> None:
    from django.utils import translation

    from symbiose.web.workshops.exports import _quantity
    from symbiose.web.workshops.templatetags.workshop_cards import room_card

    card = Card.objects.filter(participant=room.participants["fromagerie"]).first()
    assert card is not None
    card.quantity, card.unit = Decimal(3), "day"
    with translation.override("fr"):
        assert "3 jour(s)/année" in room_card(card)
        assert _quantity(card).startswith("3 jour(s) / année")
    with translation.override("en"):
        assert "3 day(s)/year" in room_card(card)
