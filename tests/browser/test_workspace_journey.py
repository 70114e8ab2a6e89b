"""The facilitator's main journey, in a real Chromium against `symbiose demo`: add an actor,
enter two resources accepting the suggested classes, run detection, keep a proposal, move
it to "study", and see the dashboard follow. A screenshot of each main page is saved."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.demo import SCREENSHOTS, DemoServer

pytestmark = pytest.mark.browser
WAIT_MS = 60_000


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _log_in(page: Any, demo: DemoServer) -> None:
    page.goto(demo.url)
    page.fill("#id_username", demo.username)
    page.fill("#id_password", demo.password)
    page.click("button[type=submit]:not(.link)")
    page.click(".cards a")


def _retained(page: Any) -> int:
    return int(page.locator(".figures.retained .figure .n").first.inner_text())


def _nav(page: Any, path: str) -> None:
    """Follow the territory's navigation bar to the section whose address ends so."""
    page.locator(f".territory-nav li a[href$='{path}']").click()
    page.wait_for_load_state()


def _enter_line(page: Any, label: str, direction: str, quantity: str, unit: str) -> str:
    """Type a line, accept the class suggested from its label, add it; the class chosen."""
    page.fill("#id_label", label)
    page.check(f"#id_direction_{0 if direction == 'out' else 1}")
    page.locator("#accept-suggestion").wait_for(timeout=WAIT_MS)
    page.click("#accept-suggestion")
    chosen = page.input_value("#id_resource_class")
    page.fill("#id_quantity", quantity)
    page.fill("#id_unit", unit)
    page.locator("#yearly-equivalent").wait_for(timeout=WAIT_MS)
    page.click("#add-line")
    page.locator(".just-added", has_text=label).wait_for(timeout=WAIT_MS)
    return chosen


# Where plotly drew each node of the metabolism, by the column the page asked for it.
_SANKEY_COLUMNS_DRAWN = """() => {
  const columns = JSON.parse(document.getElementById("sankey-data").textContent).columns;
  const drawn = {0: [], 1: [], 2: []};
  for (const element of document.querySelectorAll("#sankey .sankey-node")) {
    const node = element.__data__.node;
    if (node.pointNumber < columns.length) drawn[columns[node.pointNumber]].push(node.x0);
  }
  return drawn;
}"""


def _assert_sectors_in_the_middle(page: Any) -> None:
    page.locator("#sankey .sankey-node").first.wait_for(timeout=WAIT_MS)
    drawn = page.evaluate(_SANKEY_COLUMNS_DRAWN)
    inputs, sectors, outputs = drawn["0"], drawn["1"], drawn["2"]
    assert inputs and sectors and outputs
    # A sector that only rejects (or only consumes) stays between inputs and outputs.
    assert max(inputs) < min(sectors) and max(sectors) < min(outputs), drawn


def test_facilitator_journey(browser: Any, demo_server: DemoServer) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    _log_in(page, demo_server)
    page.locator("#sankey .main-svg").first.wait_for(timeout=WAIT_MS)
    kept_before = _retained(page)
    _assert_sectors_in_the_middle(page)
    _shot(page, "dashboard")

    _nav(page, "/map/")
    page.locator(".leaflet-marker-icon, .marker-cluster").first.wait_for(timeout=WAIT_MS)
    _shot(page, "map")

    # A new actor, met during a visit.
    _nav(page, "/actors/")
    _shot(page, "actors")
    page.click("#new-actor")
    page.fill("#id_name", "Scierie du Bocage")
    page.select_option("#id_kind", "company")
    page.fill("#id_naf_code", "16.10A")
    page.fill("#id_latitude", "48.8420")
    page.fill("#id_longitude", "-0.8790")
    page.click("#save-actor")
    assert page.locator("h1").inner_text() == "Scierie du Bocage"
    _shot(page, "actor")

    # Two lines of its balance, the class of each accepted from the suggestion. The
    # suggestion follows the label as it is retyped, not only the first time.
    page.click("#enter-balance")
    page.fill("#id_label", "Palettes bois")
    page.locator("#accept-suggestion", has_text="alettes").wait_for(timeout=WAIT_MS)
    page.fill("#id_label", "Lactosérum")
    page.locator("#accept-suggestion", has_text="actosérum").wait_for(timeout=WAIT_MS)
    sawdust = _enter_line(page, "Sciure et copeaux de bois", "out", "120", "t")
    heat = _enter_line(page, "Chaleur pour le séchage des planches", "in", "800", "MWh")
    assert sawdust and heat and sawdust != heat
    _shot(page, "balance")

    # Detection over the territory, with its progress, then the catalogue.
    _nav(page, "/proposals/")
    page.fill("#id_radius_km", "30")
    page.click("#run-detection")
    page.locator("#see-proposals").wait_for(timeout=WAIT_MS)
    page.click("#see-proposals")
    page.wait_for_load_state()
    first = page.locator("article.proposal").first
    proposal_id = (first.get_attribute("id") or "").removeprefix("proposal-")
    assert proposal_id.isdigit()
    _shot(page, "catalogue")
    page.click(f"#keep-{proposal_id}")
    page.locator(f"#proposal-{proposal_id}.decision-kept").wait_for(timeout=WAIT_MS)

    page.goto(page.url.split("/proposals/")[0] + f"/proposals/{proposal_id}/")
    page.locator(".leaflet-container").first.wait_for(timeout=WAIT_MS)
    _shot(page, "proposal")

    # The kept synergy enters the programme as an idea; it moves to study.
    _nav(page, "/programme/")
    expect(page.locator(f"#column-idea #stage-{proposal_id}")).to_have_count(1)
    # The reason is asked for only when the card is to be abandoned.
    reason = page.locator(f"#reason-{proposal_id}")
    assert not reason.is_visible()
    page.select_option(f"#stage-{proposal_id}", "abandoned")
    assert reason.is_visible()
    page.select_option(f"#stage-{proposal_id}", "study")
    assert not reason.is_visible()
    page.click(f"#move-{proposal_id}")
    page.locator(f"#column-study #stage-{proposal_id}").wait_for(timeout=WAIT_MS)
    _shot(page, "board")

    # The dashboard follows.
    page.locator(".territory-nav .territory-name").click()
    assert _retained(page) == kept_before + 1
    stages = page.locator(".dash-grid .card").first.locator("table.bars").inner_text()
    assert re.search(r"Étude\s+1\b", stages), stages

    _nav(page, "/transfer/")
    _shot(page, "import")
    page.close()
