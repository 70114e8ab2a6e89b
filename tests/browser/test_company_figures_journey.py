"""The company's side of the ledger in a real Chromium, on a phone-sized window, against
`symbiose demo`: the dairy's member opens its figures from its home, declares the tonnes
of its pallet synergy (a negative figure refused beside its field first), agrees to be
named in reports; the facilitator then finds the declared figure in the ledger, who
declared it and the dairy's agreement."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.demo import PHONE, SCREENSHOTS, DemoServer, log_in

pytestmark = pytest.mark.browser
SYNERGY = "Palettes perdues"


def _fits_the_phone(page: Any) -> None:
    """Nothing wider than the screen: a director reads it without scrolling sideways."""
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_member_declares_and_agrees_on_a_phone_and_the_facilitator_sees_it(
        browser: Any, demo_server: DemoServer) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    year = str(datetime.date.today().year)
    member, password = demo_server.accounts["member"]
    phone = browser.new_context(**PHONE).new_page()
    log_in(phone, demo_server.url + "login/", member, password)
    phone.click("a[id^=figures-]")
    card = phone.locator("article.figure-card", has_text=SYNERGY)
    expect(card).to_have_count(1)
    _fits_the_phone(phone)
    phone.screenshot(path=str(SCREENSHOTS / "company-figures-phone.png"), full_page=True)
    card.locator("a.button").click()
    phone.fill("#id_year", year)
    phone.select_option("#id_metric", "tonnes")
    phone.fill("#id_value", "-12")
    phone.fill("#id_unit", "t")
    phone.click("#declare-submit")
    expect(phone.locator("#declare")).to_contain_text("négatif")
    phone.fill("#id_value", "12500")
    phone.fill("#id_unit", "kg")
    phone.click("#declare-submit")
    tonnes = phone.locator("#figures dd").first
    expect(tonnes).to_contain_text("12,50 t")
    expect(tonnes.locator(".status-declared")).to_have_count(1)
    _fits_the_phone(phone)
    phone.screenshot(path=str(SCREENSHOTS / "company-declare-phone.png"), full_page=True)
    # Consent, from the figures page: explained, then given.
    phone.click(".crumbs a[href*='/figures/']")
    consent = phone.locator("#consent")
    assert "trois entreprises" in consent.inner_text()
    consent.locator("li", has_text="Fromagerie").locator("button").click()
    expect(phone.locator("#consent li", has_text="Fromagerie").locator(
        "input[name=agreed][value='0']")).to_have_count(1)
    phone.screenshot(path=str(SCREENSHOTS / "company-consent-phone.png"), full_page=True)

    desk = browser.new_context(locale="fr-FR").new_page()
    log_in(desk, demo_server.url + "login/", demo_server.username, demo_server.password)
    desk.click(".cards a")
    desk.locator(".territory-nav li a[href$='/ledger/']").click()
    desk.goto(desk.url.split("?")[0] + f"?year={year}")
    row = desk.locator("#synergies tbody tr", has_text=SYNERGY)
    assert "12,5" in row.locator("td").nth(2).inner_text()
    expect(row.locator("td").nth(2).locator(".status-declared")).to_have_count(1)
    row.locator("a").first.click()
    current = desk.locator("#figures tr.current", has_text="Tonnes échangées").first.inner_text()
    assert "Fromagerie des Prés Virois" in current and f"({member})" in current
    assert "d’accord" in desk.locator("#consent li", has_text="Fromagerie").inner_text()
