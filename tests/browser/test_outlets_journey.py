"""Outlets to prospect, in a real Chromium against `symbiose demo`: on the page of an actor
with an output no proposal takes, the facilitator reads the sectors that usually take it
and follows a link to an actor of such a sector known nearby."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.demo import SCREENSHOTS, DemoServer, log_in

pytestmark = pytest.mark.browser
WAIT_MS = 60_000
ACTORS_TRIED = 40


def test_an_untaken_output_leads_to_the_actors_of_its_sectors(
        browser: Any, demo_server: DemoServer) -> None:
    page = browser.new_page(locale="fr-FR")
    log_in(page, demo_server.url, demo_server.username, demo_server.password)
    page.click(".cards a")
    page.locator(".territory-nav li a[href$='/actors/']").click()
    page.wait_for_load_state()
    actor_pages = page.locator("table a[href*='/actors/']").evaluate_all(
        "links => links.map(a => a.href)")
    assert actor_pages
    for address in actor_pages[:ACTORS_TRIED]:
        page.goto(address)
        if page.locator("section.outlets a").count():
            break
    else:
        pytest.fail(f"no outlets with a nearby actor on the first {ACTORS_TRIED} actor pages")
    section = page.locator("section.outlets")
    SCREENSHOTS.mkdir(exist_ok=True)
    section.screenshot(path=str(SCREENSHOTS / "outlets.png"))
    assert "Débouchés à prospecter" in section.locator("h2").inner_text()
    sector = section.locator(".outlet-sectors li").first.inner_text()
    assert re.search(r"\(\d\d\)", sector), sector  # a NACE division, named and coded
    link = section.locator("a").first
    name = link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text(timeout=WAIT_MS) == name
