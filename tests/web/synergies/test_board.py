"""The programme board: kept synergies by stage, moves, and the programme edit form."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.services import proposal_programme_set
from tests.web.synergies.place import MakeProposal, Place

pytestmark = pytest.mark.django_db


def _board(place: Place, role: str = "facilitator") -> dict[str, list[str]]:
    response = place.client(role).get(reverse("synergies:board", args=[place.territory.slug]))
    assert response.status_code == 200
    return {stage: [p.resource for p in cards]
            for stage, _, cards, _ in response.context["columns"]}


def test_board_groups_kept_proposals_by_stage(place: Place,
                                              make_proposal: MakeProposal) -> None:
    make_proposal(resource="idea-1", decision="kept")
    make_proposal(resource="study-1", decision="kept", stage="study",
                  next_step="Visite", next_step_date=datetime.date(2020, 1, 1))
    make_proposal(resource="pending-1")
    make_proposal(resource="dropped-1", decision="dropped", stage="study")
    columns = _board(place)
    assert list(columns) == ["idea", "study", "implementation", "operational", "abandoned"]
    assert columns["idea"] == ["idea-1"] and columns["study"] == ["study-1"]
    body = place.client("facilitator").get(
        reverse("synergies:board", args=[place.territory.slug])).content.decode()
    assert "overdue" in body and 'class="board"' in body


def test_a_long_column_shows_the_nearest_next_steps_and_counts_all(
        place: Place, make_proposal: MakeProposal) -> None:
    from symbiose.web.synergies.selectors import BOARD_COLUMN_MAX

    for i in range(BOARD_COLUMN_MAX + 5):
        make_proposal(resource=f"kept-{i:02d}", decision="kept",
                      next_step_date=datetime.date(2030, 1, 1) + datetime.timedelta(days=i))
    response = place.client("facilitator").get(
        reverse("synergies:board", args=[place.territory.slug]))
    idea = next(c for c in response.context["columns"] if c[0] == "idea")
    assert idea[3] == BOARD_COLUMN_MAX + 5
    assert sorted(p.resource for p in idea[2]) == [f"kept-{i:02d}"
                                                   for i in range(BOARD_COLUMN_MAX)]
    assert "?decision=kept" in response.content.decode()


def test_move_to_study_and_abandon_needs_a_reason(place: Place,
                                                  make_proposal: MakeProposal) -> None:
    p = make_proposal(decision="kept")
    client = place.client("facilitator")
    url = reverse("synergies:stage", args=[place.territory.slug, p.pk])
    response = client.post(url, {"stage": "study"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    p.refresh_from_db()
    assert p.stage == "study"
    # The card changes column: the whole board comes back, to replace the old one.
    assert response["HX-Retarget"] == "#board"
    assert [c.id for c in response.context["columns"][1][2]] == [p.pk]
    response = client.post(url, {"stage": "abandoned"}, HTTP_HX_REQUEST="true")
    # 200 so that HTMX swaps the card with its message in.
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    p.refresh_from_db()
    assert p.stage == "study"
    client.post(url, {"stage": "abandoned", "reason": "Les acteurs refusent"})
    p.refresh_from_db()
    assert (p.stage, p.stage_reason) == ("abandoned", "Les acteurs refusent")
    pending = make_proposal(resource="pending")
    assert client.post(reverse("synergies:stage", args=[place.territory.slug, pending.pk]),
                       {"stage": "study"}).status_code == 404


def test_programme_edit_saves_and_detects_a_stale_edit(place: Place,
                                                       make_proposal: MakeProposal) -> None:
    p = make_proposal(decision="kept")
    client = place.client("facilitator")
    url = reverse("synergies:programme_edit", args=[place.territory.slug, p.pk])
    form = client.get(url, HTTP_HX_REQUEST="true")
    seen = form.context["programme_form"]["seen_version"].value()
    # Someone else saves first.
    proposal_programme_set(proposal=p, owner="Alix", partners="", next_step="Appel",
                           next_step_date=None, seen=seen, by=place.users["facilitator"])
    response = client.post(url, {"owner": "Bruno", "partners": "CCI", "next_step": "Devis",
                                 "next_step_date": "2030-05-01", "seen_version": seen},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # HTMX swaps only successful answers in
    body = response.content.decode()
    assert f'id="stale-{p.pk}"' in body and "Alix" in body  # their version, shown
    assert 'value="Bruno"' in body  # my input, kept
    p.refresh_from_db()
    assert p.owner == "Alix"  # not overwritten
    # Saving again, now knowingly over their version, works.
    fresh = response.context["programme_form"]["seen_version"].value()
    response = client.post(url, {"owner": "Bruno", "partners": "CCI", "next_step": "Devis",
                                 "next_step_date": "2030-05-01", "seen_version": fresh})
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.owner, p.partners, p.next_step_date) == ("Bruno", "CCI",
                                                       datetime.date(2030, 5, 1))


def test_programme_edit_page_without_javascript(place: Place,
                                                make_proposal: MakeProposal) -> None:
    p = make_proposal(decision="kept", owner="Alix")
    body = place.client("facilitator").get(
        reverse("synergies:programme_edit", args=[place.territory.slug, p.pk])).content.decode()
    assert 'value="Alix"' in body and 'name="seen_version"' in body
    response = place.client("facilitator").post(
        reverse("synergies:programme_edit", args=[place.territory.slug, p.pk]),
        {"next_step_date": "not a date", "seen_version": ""})
    assert response.status_code == 400 and "errorlist" in response.content.decode()


def test_member_sees_its_kept_proposals_read_only(place: Place,
                                                  make_proposal: MakeProposal) -> None:
    mine = make_proposal(resource="mine", decision="kept")
    make_proposal("scierie", "garage", resource="others", decision="kept")
    assert _board(place, "member")["idea"] == ["mine"]
    body = place.client("member").get(
        reverse("synergies:board", args=[place.territory.slug])).content.decode()
    assert f'id="move-{mine.pk}"' not in body and "programme-edit" not in body
    assert place.client("member").post(
        reverse("synergies:stage", args=[place.territory.slug, mine.pk]),
        {"stage": "study"}).status_code == 404
    assert Proposal.objects.get(pk=mine.pk).stage == "idea"


def test_cards_show_impact_to_the_facilitator_and_hide_what_names_a_member_s_partner(
        place: Place, make_proposal: MakeProposal) -> None:
    make_proposal("fromagerie", "scierie", resource="Petit-lait", decision="kept",
                  tonnes_per_year=Decimal("120"), co2e_avoided_t=Decimal("45.5"),
                  eur_saved=Decimal("3200"))
    url = reverse("synergies:board", args=[place.territory.slug])
    facilitator = place.client("facilitator").get(url).content.decode()
    assert "Scierie Durand" in facilitator
    assert "<span>120 t/an</span>" in facilitator
    assert "<span>45,5 t CO2e/an</span>" in facilitator
    assert "<span>3\xa0200 €/an</span>" in facilitator
    # The scierie keeps a private line: its member partner reads a sector, no tonnage
    # nor euros that would tell who it is, but the CO2e the programme avoids.
    member = place.client("member").get(url).content.decode()
    assert "Scierie Durand" not in member and "Fromagerie du Bocage" in member
    assert "120 t/an" not in member and "€/an" not in member
    assert "<span>45,5 t CO2e/an</span>" in member


def test_a_pooling_card_names_its_first_three_members_in_order(
        place: Place, make_proposal: MakeProposal) -> None:
    make_proposal(None, None, type="pooling", resource="Collecte de palettes",
                  decision="kept", members=["garage", "ferme", "scierie", "fromagerie"])
    board = place.client("facilitator").get(
        reverse("synergies:board", args=[place.territory.slug]))
    (card,) = next(c for c in board.context["columns"] if c[0] == "idea")[2]
    assert [s.name for s in card.sides] == ["Garage Central", "Ferme des Prés",
                                            "Scierie Durand", "Fromagerie du Bocage"]
    assert [s.role for s in card.sides] == ["member"] * 4
    body = board.content.decode()
    assert "Garage Central, Ferme des Prés, Scierie Durand et 1 autre" in body


def test_programme_dates_and_reasons_are_checked_with_one_message_each(
        place: Place, make_proposal: MakeProposal) -> None:
    p = make_proposal(decision="kept")
    client = place.client("facilitator")
    slug = place.territory.slug
    edit = client.post(reverse("synergies:programme_edit", args=[slug, p.pk]),
                       {"next_step_date": "0001-01-01", "seen_version": ""},
                       HTTP_HX_REQUEST="true")
    assert "2000" in edit.content.decode() and "2100" in edit.content.decode()
    p.refresh_from_db()
    assert p.next_step_date is None
    moved = client.post(reverse("synergies:stage", args=[slug, p.pk]),
                        {"stage": "abandoned", "reason": "x" * 3000}, HTTP_HX_REQUEST="true")
    errors = moved.context["stage_form"].errors["reason"]
    assert len(errors) == 1 and "2000" in errors[0]
