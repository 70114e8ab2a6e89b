"""Who reads a workshop: its participants and the facilitator; never an observer, a
company not invited, or a link that is not a participant's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from symbiose.web.workshops import services
from symbiose.web.workshops.models import Workshop
from tests.web.workshops.conftest import Room

pytestmark = pytest.mark.django_db


def _pages(room: Room) -> list[str]:
    args = [room.territory.slug, room.workshop.pk]
    return [reverse(f"workshops:{name}", args=args) for name in ("detail", "room",
                                                                  "projector")]


def test_participants_and_the_facilitator_read_the_room(room: Room) -> None:
    for role in ("facilitator", "member"):
        client = room.client(role)
        for url in _pages(room):
            assert client.get(url).status_code == 200, (role, url)


def test_others_get_404(room: Room) -> None:
    for role in ("observer", "outsider"):  # the outsider's company is not invited
        client = room.client(role)
        for url in _pages(room):
            assert client.get(url).status_code == 404, (role, url)
    anonymous = Client()
    for url in _pages(room):
        assert anonymous.get(url).status_code == 302  # to the log-in page


def test_facilitator_pages_are_the_facilitators(room: Room) -> None:
    args = [room.territory.slug, room.workshop.pk]
    member = room.client("member")
    for name in ("results", "participants", "cards_pdf", "summary_pdf", "summary_xlsx",
                 "summary_ods"):
        assert member.get(reverse(f"workshops:{name}", args=args)).status_code == 404, name


def test_the_member_sees_only_its_own_drafts_and_link(room: Room) -> None:
    page = room.client("member").get(reverse("workshops:detail", args=[
        room.territory.slug, room.workshop.pk])).content.decode()
    assert room.participants["fromagerie"].token in page
    assert room.participants["ferme"].token not in page
    room_page = room.client("member").get(reverse("workshops:room", args=[
        room.territory.slug, room.workshop.pk])).content.decode()
    # Drafts are not in the room: the sawmill's unconfirmed sawdust is nobody's to read.
    assert "Sciure de bois" not in room_page


def test_a_wrong_or_closed_link_is_404(room: Room) -> None:
    client = Client()
    assert client.get(reverse("workshops:link", args=["not-a-token"])).status_code == 404
    services.workshop_update(workshop=room.workshop, data={"state": Workshop.State.CLOSED},
                             by=None)
    token = room.participants["fromagerie"].token
    assert client.get(reverse("workshops:link", args=[token])).status_code == 404


def test_a_link_shows_its_company_only(room: Room) -> None:
    """The farm's link shows the farm's cards and pairs, never the dairy's private
    whey, which only the dairy's own link and the facilitator read before it confirms."""
    client = Client()
    farm = client.get(reverse("workshops:link", args=[room.participants["ferme"].token]))
    assert "Aliment pour porcs" in farm.content.decode()
    assert "Lactosérum" not in farm.content.decode()
    dairy = client.get(reverse("workshops:link",
                               args=[room.participants["fromagerie"].token]))
    assert "Lactosérum" in dairy.content.decode()
