"""A workshop in a real Chromium against `symbiose demo`: the facilitator creates it and
invites two companies; each confirms its cards and adds one from its personal link on a
phone; one marks its interest in the pair the engine proposes; the facilitator keeps the
pair, which reaches the programme board; then, from the pair in the room, a business
meeting is requested between the two on a meeting day, accepted, scheduled, and the
participant's agenda opened. A screenshot of each page is saved."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.demo import SCREENSHOTS, DemoServer, meeting_day_create

pytestmark = pytest.mark.browser
WAIT_MS = 60_000
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _log_in(page: Any, demo: DemoServer) -> None:
    page.goto(demo.url)
    page.fill("#id_username", demo.username)
    page.fill("#id_password", demo.password)
    page.click("button[type=submit]:not(.link)")
    page.click(".cards a")


def _phone_card(browser: Any, link: str, side: str, label: str, name: str) -> Any:
    """Open a company's link on a phone, confirm its cards, add one; the page."""
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.goto(link)
    _shot(phone, f"workshop-link-{name}")
    phone.click("#confirm-cards")
    phone.locator(".messages").wait_for(timeout=WAIT_MS)
    assert phone.locator(".tag.draft").count() == 0
    phone.check(f"input[name=side][value={side}]")
    phone.fill("#id_label", label)
    phone.locator("#accept-suggestion").wait_for(timeout=WAIT_MS)
    phone.click("#accept-suggestion")
    phone.fill("#id_quantity", "12")
    phone.fill("#id_unit", "t")
    phone.click("#add-card")
    phone.locator("li", has_text=label).first.wait_for(timeout=WAIT_MS)
    return phone


def test_workshop_from_invitation_to_programme(browser: Any, demo_server: DemoServer) -> None:
    page = browser.new_page()
    _log_in(page, demo_server)
    page.locator(".territory-nav li a[href$='/workshops/']").click()
    page.fill("#id_title", "Atelier palettes")
    page.fill("#id_date", "2026-03-12")
    page.fill("#id_place", "Salle du conseil")
    page.fill("#id_themes", "Bois et palettes\nÉnergie")
    page.click("#create-workshop")
    page.wait_for_url(re.compile(r"/workshops/\d+/$"))
    workshop_url = page.url
    options = page.locator("#id_actors option")
    names = [options.nth(i).inner_text() for i in range(2)]
    page.select_option("#id_actors", index=[0, 1])
    page.select_option("#id_table", index=1)
    page.click("#invite")
    page.locator(".messages").wait_for(timeout=WAIT_MS)
    _shot(page, "workshop-detail")
    links = {row.locator("td").first.inner_text().split("\n")[0].strip():
             row.locator("a.personal-link").get_attribute("href")
             for row in page.locator("table tbody tr").all()}
    giver_link, taker_link = (demo_server.url.rstrip("/") + links[n] for n in names)

    giver = _phone_card(browser, giver_link, "out", "Palettes bois usagées", "giver")
    taker = _phone_card(browser, taker_link, "in", "Palettes en bois", "taker")
    # The engine pairs the two companies' pallets: the taker says it wants to meet.
    taker.reload()
    pair = taker.locator(".pair", has_text="Palettes bois usagées").filter(
        has_text="Palettes en bois").first
    pair.wait_for(timeout=WAIT_MS)
    pair_id = pair.get_attribute("id")
    pair.locator("button.level[value='3']").click()
    taker.locator(f"#{pair_id} button.level.chosen[value='3']").wait_for(timeout=WAIT_MS)
    _shot(taker, "workshop-link-interest")
    giver.close()

    page.goto(page.url + "projector/")
    page.locator(".wanted li", has_text="Palettes bois usagées").wait_for(timeout=WAIT_MS)
    _shot(page, "workshop-projector")
    page.go_back()
    page.click("a[href$='/results/']")
    page.check(f"#keep-{pair_id.removeprefix('pair-')}")
    page.click("#keep-pairs")
    page.locator(".messages").wait_for(timeout=WAIT_MS)
    assert page.locator(f"#keep-{pair_id.removeprefix('pair-')}").count() == 0  # kept
    _shot(page, "workshop-results")
    page.locator(".territory-nav li a[href$='/programme/']").click()
    page.locator(".board", has_text="Palettes bois usagées").wait_for(timeout=WAIT_MS)
    _meeting_from_the_pair(page, workshop_url, pair_id, names)


def _meeting_from_the_pair(page: Any, workshop_url: str, pair_id: str,
                           names: list[str]) -> None:
    """A meeting day with the two companies; the pair's link asks for their meeting."""
    meeting_day_create(page, title="Rendez-vous palettes", date="2030-06-03",
                       deadline="2030-06-01T12:00", slots=4, tables=2)
    for name in names:
        page.select_option("#id_actor", label=name)
        page.click("#add-participant button[type=submit]")
    expect(page.locator("#participants tbody tr")).to_have_count(2)
    page.goto(workshop_url + "room/")
    page.locator(f"#{pair_id} a[href*='/meetings/request/']").first.click()
    page.wait_for_url("**/meetings/request/**")
    # Other tests' meeting days may hold the same two companies: then the day is chosen.
    choices = page.locator(".event-choices a", has_text="Rendez-vous palettes")
    if choices.count():
        choices.click()
    page.click("#send-request")
    page.wait_for_load_state()
    assert "/meetings/request/" not in page.url, page.locator("main").inner_text()
    page.locator("#requests button[id^=accept-]").first.click()
    page.wait_for_load_state()
    page.click("#open-grid")
    page.click("#schedule-all")
    expect(page.locator("#grid td.meeting")).to_have_count(1)
    _shot(page, "workshop-meeting-grid")
    page.click("#publish-final")
    page.locator("a", has_text="Rendez-vous palettes").first.click()
    page.locator("#participants a[href*='/agenda/']").first.click()
    expect(page.locator(".agenda-item")).to_have_count(1)
    _shot(page, "workshop-meeting-agenda")
