"""Who sees what: members read their own proposals, observers none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.synergies.conftest import MakeProposal, Place

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
