"""Business meetings in a real Chromium against `symbiose demo`: the facilitator sets up
a meeting day, adds participants, requests and accepts meetings, schedules the grid,
sees a move's conflicts before saving (HTMX, under the strict Content-Security-Policy),
publishes, and opens a participant's agenda and its printable page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.demo import SCREENSHOTS, DemoServer, meeting_day_create

pytestmark = pytest.mark.browser
WAIT_MS = 60_000
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _request(page: Any, nth: int) -> None:
    """Request a meeting from the participant list, with the `nth` participant listed."""
    page.locator("#participants a", has_text="Demander un rendez-vous").nth(nth).click()
    requested = page.input_value("#id_requested")
    values = page.eval_on_selector_all("#id_requester option", "os => os.map(o => o.value)")
    # Always the last participant asks: its two requests are two different pairs.
    page.select_option("#id_requester", [v for v in values if v and v != requested][-1])
    page.click("#send-request")
    page.wait_for_load_state()
    assert "/meetings/request/" not in page.url, page.locator("main").inner_text()
    page.locator("#requests button[id^=accept-]").first.click()
    page.wait_for_load_state()


def test_meetings_journey(browser: Any, demo_server: DemoServer) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.goto(demo_server.url + "login/")
    page.fill("#id_username", demo_server.username)
    page.fill("#id_password", demo_server.password)
    page.click("button[type=submit]:not(.link)")
    page.click(".cards a")
    meeting_day_create(page, title="Rendez-vous d'affaires de printemps", date="2030-05-20",
                       deadline="2030-05-10T12:00", slots=3, tables=2)
    for _ in range(3):
        page.select_option("#id_actor", index=1)
        page.click("#add-participant button[type=submit]")
    expect(page.locator("#participants tbody tr")).to_have_count(3)
    _request(page, 0)
    _request(page, 1)
    expect(page.locator("#requests .tag.status-accepted")).to_have_count(2)

    page.click("#open-grid")
    page.click("#schedule-all")
    cells = page.locator("#grid td.meeting")
    expect(cells).to_have_count(2)
    _shot = SCREENSHOTS / "meetings-grid.png"
    page.screenshot(path=str(_shot), full_page=True)
    # Move the second meeting onto the first one's slot and table: the conflicts are
    # said as the numbers change, before anything is saved.
    first_id = cells.nth(0).get_attribute("id")
    first_row = page.locator(f"#{first_id}").locator("xpath=..").locator("th").inner_text()
    first_slot = first_row.split(" ")[0]
    first_table = str(page.locator(f"#{first_id}").evaluate("td => td.cellIndex"))
    cells.nth(1).locator("a").click()
    page.fill("#id_table", first_table)
    page.fill("#id_slot", first_slot)
    page.locator("#conflicts li.blocking").first.wait_for(timeout=WAIT_MS)
    assert "est prise" in page.locator("#conflicts").inner_text() \
        or "déjà une rencontre" in page.locator("#conflicts").inner_text()
    page.goto(page.url.split("/meetings/")[0] + "/meetings/")
    page.locator(".meeting-events a", has_text="Rendez-vous d'affaires de printemps").click()
    page.click("#open-grid")
    page.click("#publish-final")
    expect(page.locator(".tag.state-final").first).to_be_attached()

    page.locator("a", has_text="Rendez-vous d'affaires de printemps").first.click()
    page.locator("#participants a", has_text="Agenda").first.click()
    expect(page.locator(".agenda-item").first).to_be_attached()
    page.screenshot(path=str(SCREENSHOTS / "meetings-agenda.png"), full_page=True)
    page.click("#agenda-print")
    expect(page.locator(".agenda-table tbody tr").first).to_be_attached()
    page.evaluate("() => { window.print = () => { window.__printed = true; }; }")
    page.click("#print-agenda")
    assert page.evaluate("() => window.__printed === true")
    assert page.evaluate("() => window.__cspViolations") == []
    context.close()
