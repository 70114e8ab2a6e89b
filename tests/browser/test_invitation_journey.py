"""A facilitator invites a company member, who sets a password, logs in to its home, sees its own
actor's private lines and nothing private of the others."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.demo import SCREENSHOTS, DemoServer

pytestmark = pytest.mark.browser


def _log_in(page: Any, url: str, username: str, password: str) -> None:
    page.goto(url + "login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:not(.link)")


def test_invitation_journey(browser: Any, demo_server: DemoServer) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    facilitator = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = facilitator.new_page()
    _log_in(page, demo_server.url, demo_server.username, demo_server.password)
    page.click(".cards a")
    territory_url = page.url
    page.click("a.button:has-text(\"Membres\")")
    page.fill("#id_username", "brasseur")
    page.select_option("#id_role", "member")
    page.select_option("#id_actors", ["brasserie"])
    page.click("form.stacked button[type=submit]")
    link = page.locator("#invitation-link code").inner_text().strip()
    assert "/invitation/" in link
    expect(page.locator("td", has_text="brasseur")).to_have_count(1)
    page.screenshot(path=str(SCREENSHOTS / "members.png"), full_page=True)
    facilitator.close()

    # The invited person, in a browser of their own.
    member = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = member.new_page()
    page.goto(link)
    page.fill("#id_new_password1", "Bière-de-garde-2026")
    page.fill("#id_new_password2", "Bière-de-garde-2026")
    page.click("form.stacked button[type=submit]")
    assert "/login/" in page.url
    _log_in(page, demo_server.url, "brasseur", "Bière-de-garde-2026")
    # A company member lands on its own home, its actor there with this year's balance.
    assert page.locator("h1").inner_text() == "Mon entreprise"
    assert page.locator("#actor-brasserie h3").first.inner_text().startswith("Bilan ")
    page.screenshot(path=str(SCREENSHOTS / "member-home.png"), full_page=True)

    page.goto(territory_url + "actors/brasserie/")
    assert page.locator("h1").inner_text() == "Brasserie des Trois Collines"
    expect(page.locator(".conf.private").first).to_be_attached()  # its own private lines
    page.screenshot(path=str(SCREENSHOTS / "member-own-actor.png"), full_page=True)

    page.goto(territory_url + "actors/fromagerie/")
    assert page.locator(".conf.private").count() == 0
    assert page.locator(".conf.anonymous").count() == 0
    expect(page.locator("#withheld")).to_have_count(1)

    page.goto(territory_url)
    expect(page.locator("#anonymous")).to_have_count(1)  # others' anonymous lines, anonymised
    assert "Fromagerie des Prés Virois" not in page.locator("#anonymous").inner_text()
    # The invitation cannot be used twice.
    again = page.goto(link)
    assert again is not None and again.status == 400
    member.close()
