"""Lending in a real Chromium on a phone's screen, against `symbiose demo`: the demo's
company member requests a booking of another company's item, answers a request for its
own offer, the facilitator accepts the member's request on the lender's behalf and sees
the booking counted on the dashboard. No page is wider than the phone, and no
Content-Security-Policy violation is reported."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.demo import SCREENSHOTS, DemoServer

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _page(browser: Any, server: DemoServer, username: str, password: str) -> Any:
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.goto(server.url + "login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:not(.link)")
    page.wait_for_load_state()
    # A company member lands on its home; a facilitator on its territories.
    page.click(".home-territory a" if "/home/" in page.url else ".cards a")
    return page


def _fits(page: Any) -> None:
    """Nothing wider than the phone, and the policy kept."""
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, (page.url, width)
    assert page.evaluate("window.__cspViolations") == [], page.url


def test_lending_journey_on_a_phone(browser: Any, demo_server: DemoServer) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    username, password = demo_server.accounts["member"]
    member = _page(browser, demo_server, username, password)
    member.locator(".territory-nav li a[href$='/lending/']").click()
    _fits(member)
    # Its own offer has a request waiting: the member answers it as the lender.
    member.locator("#to-answer a").first.click()
    member.click("#accept")
    assert member.inner_text("#booking-status") == "Acceptée"
    _fits(member)
    # Then it borrows the forklift of another company.
    member.locator(".territory-nav li a[href$='/lending/']").click()
    member.locator("#offers a", has_text="Chariot élévateur").click()
    _fits(member)
    member.click("#book")
    member.fill("#id_start", "2030-06-03T08:00")
    member.fill("#id_end", "2030-06-02T18:00")
    member.click("#send-booking")
    assert "après le début" in member.inner_text("#id_end-errors")
    member.fill("#id_end", "2030-06-03T18:00")
    member.fill("#id_message", "Livraison de lait cru.")
    member.click("#send-booking")
    assert member.inner_text("#booking-status") == "En attente de réponse"
    member.screenshot(path=str(SCREENSHOTS / "lending-booking-phone.png"), full_page=True)
    _fits(member)

    facilitator = _page(browser, demo_server, demo_server.username, demo_server.password)
    facilitator.locator(".territory-nav li a[href$='/lending/']").click()
    facilitator.locator("#to-answer a", has_text="Chariot élévateur").click()
    facilitator.click("#accept")
    assert facilitator.inner_text("#booking-status") == "Acceptée"
    facilitator.locator(".territory-nav a.territory-name").click()
    panel = facilitator.inner_text("#lending-panel")
    assert "4 biens proposés" in panel and "4 réservations" in panel, panel
    _fits(facilitator)
