"""The yearly data campaign in a real Chromium against `symbiose demo`: the facilitator
finds the demo's campaign in progress and the dairy's personal link; the dairy's member
opens it on a phone, confirms last year's lines with one change, submits; the link then
says it was submitted and the facilitator's progress, and the dashboard, count one more
answer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.demo import PHONE, SCREENSHOTS, DemoServer, log_in

pytestmark = pytest.mark.browser
WAIT_MS = 60_000


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_member_confirms_its_balance_from_the_campaign_link(
        browser: Any, demo_server: DemoServer) -> None:
    page = browser.new_context(locale="fr-FR").new_page()
    log_in(page, demo_server.url, demo_server.username, demo_server.password)
    page.click(".cards a")
    page.locator(".territory-nav li a[href$='/campaigns/']").click()
    page.locator(".cards a").first.click()
    submitted = int(page.locator("#count-submitted").inner_text())
    page.fill("input[name=q]", "Fromagerie")
    page.click(".filters button")
    link = page.locator("tr", has_text="Fromagerie").locator(".link-copy").input_value()
    assert re.search(r"/c/[\w-]{20,}/$", link)
    _shot(page, "campaign-progress")

    member, password = demo_server.accounts["member"]
    phone = browser.new_context(**PHONE).new_page()
    log_in(phone, demo_server.url, member, password)
    phone.goto(link)
    lines = phone.locator("fieldset.campaign-line:not(.new-line)")
    expect(lines.nth(1)).to_be_attached()
    _shot(phone, "campaign-link-phone")
    quantity = lines.first.locator("input[name$='-quantity']")
    quantity.fill("4321")
    phone.click("#submit-balance")
    phone.locator("#submitted-when").wait_for(timeout=WAIT_MS)
    summary = phone.locator(".summary").inner_text()
    assert "1 ligne modifiée" in summary, summary
    _shot(phone, "campaign-link-submitted")
    phone.reload()
    assert phone.locator("#campaign-form").count() == 0  # never a second submission

    page.reload()
    assert int(page.locator("#count-submitted").inner_text()) == submitted + 1
    assert "Soumis" in page.locator("tr", has_text="Fromagerie").inner_text()
    # And on the territory's dashboard, beside the lending panel.
    page.click(".territory-nav a.territory-name")
    assert int(page.locator("#campaign-panel #panel-submitted").inner_text()) == submitted + 1
    expect(page.locator("#lending-panel")).to_have_count(1)
