"""The proposals catalogue: filters, the HTMX fragment, the detail page with its map."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from symbiose.web.synergies.models import Proposal
from tests.web.synergies.place import MakeProposal, Place

pytestmark = pytest.mark.django_db


def _url(place: Place) -> str:
    return reverse("synergies:catalogue", args=[place.territory.slug])


def _shown(place: Place, **params: str) -> set[str]:
    response = place.client("facilitator").get(_url(place), params)
    assert response.status_code == 200
    return {p.resource for p in response.context["proposals"]}


def test_filters_each_work(place: Place, make_proposal: MakeProposal) -> None:
    make_proposal(resource="A-whey")
    make_proposal("scierie", "garage", resource="B-sawdust", resource_family="wood",
                  distance_km=Decimal("40"), score=Decimal("0.3"))
    make_proposal(None, None, type="pooling", resource="C-pallets",
                  members=["garage", "scierie"], distance_km=Decimal("1"),
                  score=Decimal("0.4"))
    make_proposal(resource="D-kept", decision="kept")
    make_proposal(resource="E-dropped", decision="dropped", drop_reason="other")
    assert _shown(place) == {"A-whey", "B-sawdust", "C-pallets"}  # to review by default
    assert _shown(place, decision="all") == {"A-whey", "B-sawdust", "C-pallets", "D-kept",
                                             "E-dropped"}
    assert _shown(place, decision="kept") == {"D-kept"}
    assert _shown(place, type="pooling") == {"C-pallets"}
    assert _shown(place, family="wood") == {"B-sawdust"}
    assert _shown(place, actor="scierie durand") == {"B-sawdust", "C-pallets"}
    zone = place.actors["ferme"].zone
    assert zone is not None
    assert _shown(place, zone=str(zone.pk)) == {"A-whey"}
    assert _shown(place, max_km="10") == {"A-whey", "C-pallets"}
    assert _shown(place, min_score="0.5") == {"A-whey"}
    assert _shown(place, min_score="not-a-number") == {"A-whey", "B-sawdust", "C-pallets"}


def test_card_shows_ends_figures_and_decision_buttons(place: Place,
                                                       make_proposal: MakeProposal) -> None:
    p = make_proposal(tonnes_per_year=Decimal("120"), co2e_avoided_t=Decimal("42.5"),
                      eur_saved=Decimal("6000"))
    body = place.client("facilitator").get(_url(place)).content.decode()
    assert "Fromagerie du Bocage" in body and "Ferme des Prés" in body
    assert "Le lactosérum nourrit les porcs." in body
    assert f'id="keep-{p.pk}"' in body and f'id="drop-{p.pk}"' in body
    assert "42,5" in body or "42.5" in body
    assert 'id="run-detection"' in body and 'id="id_radius_km"' in body


def test_htmx_filter_returns_the_results_fragment(place: Place,
                                                  make_proposal: MakeProposal) -> None:
    make_proposal()
    response = place.client("facilitator").get(
        _url(place), {"type": "substitution"}, HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="catalogue-results")
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="catalogue-results"')
    assert "<html" not in body and "Lactosérum" in body


def test_pagination_25_per_page(place: Place, make_proposal: MakeProposal) -> None:
    for i in range(30):
        make_proposal(resource=f"R{i:02}", score=Decimal("0.9") - Decimal(i) / 100)
    page1 = place.client("facilitator").get(_url(place))
    assert len(page1.context["proposals"]) == 25 and 'id="next-page"' in page1.content.decode()
    page2 = place.client("facilitator").get(_url(place), {"page": "2"})
    assert [p.resource for p in page2.context["proposals"]] == [f"R{i}" for i in range(25, 30)]


def test_detail_page_has_the_map_and_both_ends(place: Place,
                                               make_proposal: MakeProposal) -> None:
    p = make_proposal()
    response = place.client("facilitator").get(
        reverse("synergies:proposal", args=[place.territory.slug, p.pk]))
    body = response.content.decode()
    assert 'id="proposal-map"' in body and "leaflet/leaflet" in body
    data = response.context["map_points"]
    assert [s["role"] for s in data["sides"]] == ["supplier", "receiver"]
    assert data["tiles"]


def test_last_run_summary_on_the_catalogue(place: Place) -> None:
    from symbiose.web.synergies.models import DetectionRun

    DetectionRun.objects.create(territory=place.territory, status="done", created=12,
                                updated=3, removed=1, progress=100)
    body = place.client("facilitator").get(_url(place)).content.decode()
    assert "12" in body and 'id="detection-run"' in body


def test_unknown_proposal_404(place: Place) -> None:
    url = reverse("synergies:proposal", args=[place.territory.slug, 999])
    assert place.client("facilitator").get(url).status_code == 404
    assert Proposal.objects.count() == 0
