"""The region's pages as each reader sees them: the regional dashboard's figures under
k-anonymity, the library and a sheet's PDF naming only companies that agreed, the
cross-territory proposals naming each side only with its consent, and the sheet's form."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from symbiose.web.region import services
from symbiose.web.region.access import region_viewer
from symbiose.web.region.models import CrossProposal, PracticeSheet
from symbiose.web.region.visibility import region_dashboard_visible
from tests.web.region.conftest import World, heat_lines
from tests.web.region.test_services import SHEET

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> tuple[str, int]:
    """The PDF's text and page count, read by poppler as a person's viewer would."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          capture_output=True, check=True).stdout.decode()
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()
    pages = next(int(line.split()[-1]) for line in info.splitlines()
                 if line.startswith("Pages:"))
    return text, pages


def test_regional_funnel_sums_the_territories(world: World) -> None:
    viewer = region_viewer(user=world.users["admin"], region=world.region)
    shown = region_dashboard_visible(viewer=viewer)
    assert shown.territory_count == 2 and shown.actor_count == 7
    assert [s.proposals for s in shown.funnel] == [5, 4, 3, 3]


def test_regional_readers_see_only_counts_of_three_actors_or_more(world: World) -> None:
    viewer = region_viewer(user=world.users["regional_observer"], region=world.region)
    shown = region_dashboard_visible(viewer=viewer)
    north, south = sorted(shown.territories, key=lambda t: t.name)
    assert north.funnel[-1] == 2  # three actors behind it
    assert south.funnel[-1] is None and south.actors == 3  # two: hidden
    # The region's count covers five actors: shown, the south's share included.
    assert shown.funnel[-1].proposals == 3 and shown.protected


def test_dashboard_page_for_regional_roles_only(world: World) -> None:
    url = reverse("region:dashboard", args=[world.region.slug])
    page = world.client("regional").get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Territoire Nord" in body and 'id="map"' in body and "map-config" in body
    assert world.client("regional_observer").get(url).status_code == 200
    for role in ("north_facilitator", "north_member", "stranger"):
        assert world.client(role).get(url).status_code == 404, role


def test_library_and_sheet_pdf_name_only_companies_that_agreed(world: World) -> None:
    whey = world.proposals["whey"]
    sheet = services.sheet_save(proposal=whey, data=SHEET,
                                named_actor_ids=[world.actors["laiterie"].pk], publish=True,
                                by=None)
    library = world.client("regional").get(reverse("region:library",
                                                   args=[world.region.slug]))
    assert SHEET["title"] in library.content.decode()
    response = world.client("south_facilitator").get(
        reverse("region:library_sheet", args=[world.region.slug, sheet.pk]))
    assert response["Content-Type"] == "application/pdf"
    text, pages = _pdf_text(response.content)
    assert pages == 1
    assert "Laiterie du Nord" in text and "4 000" in text
    assert "Élevage du Nord" not in text  # it did not agree
    assert "M. Durand" not in text  # contacts wait for every company
    sheet.named_actors.add(world.actors["porcs"])
    text, _ = _pdf_text(world.client("regional").get(
        reverse("region:library_sheet", args=[world.region.slug, sheet.pk])).content)
    assert "Élevage du Nord" in text and "M. Durand" in text


def test_a_withdrawn_sheet_leaves_the_library(world: World) -> None:
    sheet = services.sheet_save(proposal=world.proposals["whey"], data=SHEET,
                                named_actor_ids=[], publish=True, by=None)
    services.sheet_withdraw(sheet=sheet, by=None)
    url = reverse("region:library_sheet", args=[world.region.slug, sheet.pk])
    assert world.client("regional").get(url).status_code == 404


def test_a_long_sheet_stays_on_one_page(world: World) -> None:
    long = {**SHEET, **{k: "Une phrase assez longue pour remplir la fiche. " * 25
                        for k in ("exchanged", "method", "obstacles")}}
    sheet = services.sheet_save(proposal=world.proposals["whey"], data=long,
                                named_actor_ids=[], publish=True, by=None)
    response = world.client("regional").get(
        reverse("region:library_sheet", args=[world.region.slug, sheet.pk]))
    assert _pdf_text(response.content)[1] == 1


def test_sheet_form_publishes_and_refuses_a_synergy_not_operational(world: World) -> None:
    client = world.client("north_facilitator")
    whey = world.proposals["whey"]
    url = reverse("region:sheet_edit", args=["nord", whey.pk])
    form = client.get(url)
    assert form.status_code == 200 and "Lactosérum" in form.content.decode()
    done = client.post(url, {**SHEET, "named_actors": [whey.supplier_id], "publish": "1"})
    assert done.status_code == 302
    assert PracticeSheet.objects.get(proposal=whey).published_at is not None
    slag = world.proposals["slag"]
    refused = client.post(reverse("region:sheet_edit", args=["nord", slag.pk]),
                          {**SHEET, "publish": "1"})
    assert refused.status_code == 400
    assert "Seule une synergie opérationnelle" in refused.content.decode()
    assert not PracticeSheet.objects.filter(proposal=slag).exists()
    # Another territory's facilitator, or a member, may not open it.
    assert world.client("south_facilitator").get(url).status_code == 404
    assert world.client("north_member").get(url).status_code == 404


def test_sheet_form_keeps_what_was_typed_when_a_company_is_refused(world: World) -> None:
    client = world.client("north_facilitator")
    whey = world.proposals["whey"]
    response = client.post(reverse("region:sheet_edit", args=["nord", whey.pk]),
                           {**SHEET, "named_actors": [world.actors["serres"].pk],
                            "publish": "1"})
    assert response.status_code == 400
    assert "Les week-ends" in response.content.decode()  # nothing typed is lost
    assert not PracticeSheet.objects.exists()


def test_crossings_name_each_side_only_with_its_consent(world: World) -> None:
    heat_lines(world)
    services.crossings_detect(region=world.region)
    url = reverse("region:crossings", args=[world.region.slug])
    north = world.client("north_facilitator").get(url).content.decode()
    assert "Forge du Nord" in north and "Serres du Sud" not in north
    south = world.client("south_facilitator").get(url).content.decode()
    assert "Serres du Sud" in south and "Forge du Nord" not in south
    regional = world.client("regional").get(url).content.decode()
    assert "Forge du Nord" not in regional and "Serres du Sud" not in regional
    # The north's facilitator records that the forge agrees: the south now reads it.
    crossing = CrossProposal.objects.get()
    agree = world.client("north_facilitator").post(
        reverse("region:agree", args=[world.region.slug, crossing.pk]),
        {"side": "supplier", "agreed": "on"})
    assert agree.status_code == 302
    assert "Forge du Nord" in world.client("south_facilitator").get(url).content.decode()
    # The south may not record the north's side.
    refused = world.client("south_facilitator").post(
        reverse("region:agree", args=[world.region.slug, crossing.pk]),
        {"side": "supplier", "agreed": ""})
    assert refused.status_code == 404
    assert CrossProposal.objects.get().supplier_agreed_at is not None


def test_observers_and_strangers_do_not_see_crossings(world: World) -> None:
    url = reverse("region:crossings", args=[world.region.slug])
    for role in ("regional_observer", "north_member", "stranger"):
        assert world.client(role).get(url).status_code == 404, role
    detect = reverse("region:crossings_detect", args=[world.region.slug])
    assert world.client("north_facilitator").post(detect).status_code == 404
    assert world.client("regional").post(detect).status_code == 302


def test_an_operational_synergys_page_leads_its_facilitator_to_the_sheet(world: World) -> None:
    sheet_url = reverse("region:sheet_edit", args=["nord", world.proposals["whey"].pk])
    page = world.client("north_facilitator").get(
        reverse("synergies:proposal", args=["nord", world.proposals["whey"].pk]))
    assert sheet_url in page.content.decode()
    studied = world.client("north_facilitator").get(
        reverse("synergies:proposal", args=["nord", world.proposals["slag"].pk]))
    assert "/sheet/" not in studied.content.decode()
