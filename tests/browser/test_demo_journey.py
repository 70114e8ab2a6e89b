"""Open the demo as a first-time user would, on a desktop and on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.demo import SCREENSHOTS, DemoServer

pytestmark = pytest.mark.browser


def _log_in(page: Any, demo: DemoServer) -> None:
    page.goto(demo.url)
    assert "/login/" in page.url  # nothing shown before logging in
    page.fill("#id_username", demo.username)
    page.fill("#id_password", demo.password)
    page.click("button[type=submit]:not(.link)")


def test_demo_overview_and_actor_page(browser: Any, demo_server: DemoServer) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    _log_in(page, demo_server)
    assert page.locator("h1").inner_text() == "Territoires"
    page.screenshot(path=str(SCREENSHOTS / "territories.png"), full_page=True)

    page.click(".cards a")
    actor_count = int(page.locator(".figure .n").first.inner_text())
    assert actor_count >= 20
    page.screenshot(path=str(SCREENSHOTS / "overview.png"), full_page=True)

    page.click(".territory-nav li a[href$='/actors/']")
    expect(page.locator("#actor-rows tr")).to_have_count(actor_count)
    page.click("#actor-rows tr:first-child a")
    expect(page.locator("h2", has_text="Bilan de flux")).to_have_count(1)
    expect(page.locator(".balance").first).to_be_attached()
    page.screenshot(path=str(SCREENSHOTS / "actor.png"), full_page=True)
    page.close()


def test_demo_reads_on_a_phone(browser: Any, demo_server: DemoServer) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="fr-FR",
                            is_mobile=True)
    _log_in(page, demo_server)
    page.click(".cards a")
    page.wait_for_url("**/t/*/")
    # Nothing wider than the screen but the tables, which scroll inside their frame.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(SCREENSHOTS / "overview-phone.png"), full_page=True)
    # Every page of the territory's menu, and the first thing each lists, keeps to the
    # screen's width too (a wide table scrolls in its own box).
    menu = page.eval_on_selector_all(".territory-nav li a", "links => links.map(a => a.href)")
    assert len(menu) >= 8
    for href in menu:
        page.goto(href)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, href
        first = page.locator("main table a[href], main .cards a[href]").first
        if first.count():
            page.goto(first.evaluate("link => link.href"))
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    page.close()
