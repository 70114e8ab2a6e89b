"""The region in a real Chromium, against `symbiose demo`: the demo's regional
facilitator finds the region from the top bar, reads the regional dashboard (figures,
funnel, the map of its three territories), the library, and opens a practice sheet's
PDF. No Content-Security-Policy violation is reported."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.demo import SCREENSHOTS, DemoServer

pytestmark = pytest.mark.browser
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def test_regional_facilitator_reads_the_region(browser: Any, demo_server: DemoServer) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    username, password = demo_server.accounts["regional_facilitator"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.goto(demo_server.url + "login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:not(.link)")
    page.wait_for_load_state()
    page.click(".topbar a[href$='/r/']")
    page.locator("main a", has_text="Bocage normand").click()
    page.locator(".territory-nav a", has_text="Tableau de bord régional").click()
    expect(page.locator("h1")).to_have_text("Démo — Réseau EIT du Bocage normand")
    funnel = page.locator("#funnel-title + table tr")
    expect(funnel).to_have_count(4)
    assert funnel.first.locator("th").inner_text() == "Potentielles"
    assert int(funnel.first.locator("td.num").inner_text()) >= 10
    # One circle per territory on the map, drawn by Leaflet once its script ran.
    page.wait_for_selector("#map path.leaflet-interactive")
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(3)
    expect(page.locator("section[aria-labelledby=map-title] tbody tr")).to_have_count(3)
    page.screenshot(path=str(SCREENSHOTS / "region-dashboard.png"), full_page=True)

    page.locator(".territory-nav a", has_text="Bibliothèque").click()
    sheet_link = page.locator("main .card h2 a", has_text="lactosérum")
    expect(sheet_link).to_have_count(1)
    page.screenshot(path=str(SCREENSHOTS / "region-library.png"), full_page=True)
    href = sheet_link.get_attribute("href")
    assert href and href.endswith(".pdf")
    pdf = context.request.get(demo_server.url.rstrip("/") + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.body(), capture_output=True,
                          check=True).stdout.decode()
    assert "Fiche pratique" in text and "Laiterie de Condé" in text
    assert page.evaluate("window.__cspViolations") == [], page.url
    context.close()
