"""Who sees what: members read their own proposals, observers none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.synergies.place import MakeProposal, Place

pytestmark = pytest.mark.django_db


def test_member_catalogue_is_read_only_and_anonymised(place: Place,
                                                      make_proposal: MakeProposal) -> None:
    mine = make_proposal("fromagerie", "scierie", resource="whey")
    others = make_proposal("garage", "ferme", resource="oil")
    client = place.client("member")
    response = client.get(reverse("synergies:catalogue", args=[place.territory.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "whey" in body and "oil" not in body
    assert "Scierie Durand" not in body and "SECRET" not in body  # private side unnamed
    assert "Le lactosérum nourrit les porcs." not in body  # explanation may name it
    assert f'id="keep-{mine.pk}"' not in body and "run-detection" not in body
    assert 'name="actor"' not in body  # no name search that could point at a hidden actor
    detail = client.get(reverse("synergies:proposal", args=[place.territory.slug, mine.pk]))
    assert detail.status_code == 200
    assert [s["role"] for s in detail.context["map_points"]["sides"]] == ["supplier"]
    assert client.get(reverse("synergies:proposal", args=[place.territory.slug, others.pk])
                      ).status_code == 404


def test_observer_sees_none_of_it(place: Place, make_proposal: MakeProposal) -> None:
    p = make_proposal(decision="kept")
    client = place.client("observer")
    slug = place.territory.slug
    for url in (reverse("synergies:catalogue", args=[slug]),
                reverse("synergies:proposal", args=[slug, p.pk]),
                reverse("synergies:board", args=[slug]),
                reverse("synergies:programme_edit", args=[slug, p.pk])):
        assert client.get(url).status_code == 404, url


def test_anonymous_goes_to_login(place: Place) -> None:
    from django.test import Client

    response = Client().get(reverse("synergies:catalogue", args=[place.territory.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_observer_dashboard_links_nowhere_it_may_not_go_and_a_refusal_reads_french(
        place: Place) -> None:
    client = place.client("observer")
    slug = place.territory.slug
    dashboard = client.get(reverse("dashboard:home", args=[slug])).content.decode()
    for name in ("synergies:board", "synergies:catalogue", "territory:actors"):
        assert f'href="{reverse(name, args=[slug])}"' not in dashboard, name
    refused = client.get(reverse("synergies:board", args=[slug]))
    body = refused.content.decode()
    assert refused.status_code == 404
    assert "Page introuvable" in body and "Retour à mes territoires" in body
    assert 'class="topbar"' in body  # the site's own page, with its way back


def test_a_server_error_page_renders_without_a_request_context() -> None:
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Erreur du serveur" in page and "Server error" in page


def test_a_member_reads_nothing_written_about_an_unnamed_partner(
        place: Place, make_proposal: MakeProposal) -> None:
    # The scierie keeps a private line and supplies the member: it is not to be named.
    p = make_proposal("scierie", "fromagerie", resource="Sciure SECRET", decision="kept",
                      resource_family="wood", owner="M. Dupont (Scierie Durand)",
                      partners="Scierie Durand", next_step="Appeler M. Dupont au 02 31")
    client = place.client("member")
    slug = place.territory.slug
    for url in (reverse("synergies:board", args=[slug]),
                reverse("synergies:proposal", args=[slug, p.pk]),
                reverse("synergies:catalogue", args=[slug]) + "?decision=kept"):
        body = client.get(url).content.decode()
        assert "SECRET" not in body and "Dupont" not in body and "Durand" not in body, url
    (shown,) = [c for c in client.get(reverse("synergies:board", args=[slug])).context[
        "columns"][0][2]]
    assert shown.resource == "Bois" and shown.sides[0].external_id is None
    # The facilitator reads all of it.
    facilitator = place.client("facilitator").get(
        reverse("synergies:board", args=[slug])).content.decode()
    assert "Sciure SECRET" in facilitator and "Appeler M. Dupont" in facilitator


def test_an_unnamed_actor_is_described_only_as_precisely_as_three_could_fit(
        place: Place, make_proposal: MakeProposal) -> None:
    from decimal import Decimal

    from symbiose.web.territory.models import Actor

    p = make_proposal("scierie", "fromagerie", resource="Sciure")
    client = place.client("member")
    url = reverse("synergies:proposal", args=[place.territory.slug, p.pk])
    # The scierie is the only other manufacturer: its sector alone would name it.
    (side,) = [s for s in client.get(url).context["p"].sides if s.external_id is None]
    assert side.name == "un acteur du territoire"
    # With two more manufacturers, 11 and 17 km away, the sector is said, and the
    # distance is as wide as the three of them need (the scierie itself is 1 km away).
    for ext, north in (("atelier", "0.10"), ("usine", "0.15")):
        Actor.objects.create(territory=place.territory, external_id=ext, name=ext,
                             naf_code="25.62A", latitude=Decimal("48.80") + Decimal(north),
                             longitude=Decimal("-0.88"))
    (side,) = [s for s in client.get(url).context["p"].sides if s.external_id is None]
    assert side.name == "un acteur du secteur « Industrie manufacturière » à moins de 20 km"
