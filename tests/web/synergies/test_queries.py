"""The list pages read a bounded number of queries, however many proposals there are."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.web.synergies.place import MakeProposal, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def hundred(make_proposal: MakeProposal) -> None:
    pairs = [("fromagerie", "ferme"), ("scierie", "garage"), ("garage", "fromagerie"),
             ("ferme", "scierie")]
    for i in range(100):
        supplier, receiver = pairs[i % 4]
        make_proposal(supplier, receiver, resource=f"R{i}",
                      decision="kept" if i % 3 else "pending",
                      stage=["idea", "study", "implementation", "operational"][i % 4])


@pytest.mark.usefixtures("hundred")
@pytest.mark.parametrize("role", ["facilitator", "member"])
def test_catalogue_queries(place: Place, role: str,
                           django_assert_max_num_queries: Any) -> None:
    client = place.client(role)
    url = reverse("synergies:catalogue", args=[place.territory.slug])
    with django_assert_max_num_queries(14):
        response = client.get(url, {"decision": "all"})
    assert len(response.context["proposals"]) == 25


@pytest.mark.usefixtures("hundred")
@pytest.mark.parametrize("role", ["facilitator", "member"])
def test_board_queries(place: Place, role: str, django_assert_max_num_queries: Any) -> None:
    client = place.client(role)
    # One query more per app that adds notes to the cards (meetings, lending), however
    # many cards there are.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("synergies:board", args=[place.territory.slug]))
    assert sum(len(cards) for _, _, cards, _ in response.context["columns"]) > 0
