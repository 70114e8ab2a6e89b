"""The facilitator's ledger pages: declare, verify, score, download; nobody else sees
them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from symbiose.web.ledger.models import IndicatorScore, LedgerEntry, ReportConsent
from tests.web.ledger.conftest import Park

pytestmark = pytest.mark.django_db


def _urls(park: Park) -> list[str]:
    slug = park.territory.slug
    return [reverse("ledger:home", args=[slug]),
            reverse("ledger:synergy", args=[slug, park.sawdust.pk]),
            reverse("ledger:scores", args=[slug]), reverse("ledger:radar", args=[slug]),
            reverse("ledger:report_pdf", args=[slug]),
            reverse("ledger:report_xlsx", args=[slug])]


@pytest.mark.parametrize("role", ["member", "observer"])
def test_only_the_facilitator_opens_the_ledger(park: Park, role: str) -> None:
    client = park.client(role)
    for url in _urls(park):
        assert client.get(url).status_code == 404, url
    assert park.client("facilitator").get(_urls(park)[0]).status_code == 200


def test_declare_then_verify_from_the_pages(park: Park) -> None:
    client = park.client("facilitator")
    url = reverse("ledger:synergy", args=[park.territory.slug, park.sawdust.pk])
    refused = client.post(url, {"year": 2025, "metric": "tonnes", "value": "12",
                                "unit": "MWh", "declared_by": park.actors["scierie"].pk})
    assert refused.status_code == 400
    assert "n’est pas une unité" in refused.content.decode()
    assert not LedgerEntry.objects.exists()
    done = client.post(url, {"year": 2025, "metric": "tonnes", "value": "12.5",
                             "unit": "t", "declared_by": park.actors["scierie"].pk})
    assert done.status_code == 302
    entry = LedgerEntry.objects.get()
    verify = reverse("ledger:verify", args=[park.territory.slug, entry.pk])
    page = client.post(verify, {"verifier": "Cabinet", "evidence": ""}, follow=True)
    assert "justificatif" in page.content.decode()
    assert LedgerEntry.objects.count() == 1
    client.post(verify, {"verifier": "Cabinet", "evidence": "Bons de pesée"})
    assert LedgerEntry.objects.order_by("-id").first().status == "verified"  # type: ignore[union-attr]
    home = client.get(reverse("ledger:home", args=[park.territory.slug]) + "?year=2025")
    assert "Vérifié" in home.content.decode()


def test_scores_and_the_radar(park: Park) -> None:
    client = park.client("facilitator")
    url = reverse("ledger:scores", args=[park.territory.slug])
    client.post(url, {"year": 2025, "indicator": "governance_steering", "score": 3})
    client.post(url, {"year": 2025, "indicator": "governance_steering", "score": 9})
    assert list(IndicatorScore.objects.values_list("score", flat=True)) == [3]
    radar = client.get(reverse("ledger:radar", args=[park.territory.slug]) + "?year=2025")
    assert radar["Content-Type"] == "image/svg+xml" and b"<svg" in radar.content


@pytest.mark.parametrize(("name", "magic"), [("report_pdf", b"%PDF"), ("report_xlsx", b"PK"),
                                             ("report_ods", b"PK")])
def test_the_report_downloads(park: Park, name: str, magic: bytes) -> None:
    response = park.client("facilitator").get(
        reverse(f"ledger:{name}", args=[park.territory.slug]) + "?year=2025")
    assert response.status_code == 200 and response.content.startswith(magic)
    assert "val-2025-rapport." in response["Content-Disposition"]


def test_a_territory_adds_its_own_indicator_and_scores_it(park: Park) -> None:
    client = park.client("facilitator")
    url = reverse("ledger:scores", args=[park.territory.slug])
    fields = {"year": 2025, "code": "trainings", "kind": "qualitative",
              "label": "Formations mutualisées", "unit": "score 0-4",
              "definition": "Sessions de formation communes",
              "filled_by": "l'animateur·rice", "source": "programme local"}
    assert client.post(url, fields).status_code == 302
    again = client.post(url, fields)
    assert again.status_code == 400 and "existe déjà" in again.content.decode()
    missing = client.post(url, {**fields, "code": "other", "source": ""})
    assert missing.status_code == 400
    client.post(url, {"year": 2025, "indicator": "trainings", "score": 2})
    page = client.get(url + "?year=2025").content.decode()
    assert "Formations mutualisées" in page
    assert list(IndicatorScore.objects.values_list("indicator", "score")) == [("trainings", 2)]


def test_the_facilitator_records_a_companys_agreement_to_be_named(park: Park) -> None:
    client = park.client("facilitator")
    url = reverse("ledger:consent", args=[park.territory.slug, park.sawdust.pk])
    for name in ("scierie", "chaufferie"):
        client.post(url, {"actor": park.actors[name].pk, "agreed": "1"})
    assert ReportConsent.objects.count() == 2
    client.post(url, {"actor": park.actors["scierie"].pk, "agreed": "0"})
    assert list(ReportConsent.objects.values_list("actor__external_id", flat=True)) == [
        "chaufferie"]
    # An actor outside the synergy is not recorded through it.
    assert client.post(url, {"actor": park.actors["imprimerie"].pk,
                             "agreed": "1"}).status_code == 404
    assert park.client("member").post(url, {"actor": park.actors["scierie"].pk,
                                            "agreed": "1"}).status_code == 404
    assert ReportConsent.objects.count() == 1
