"""The impact ledger in a real Chromium, against `symbiose demo`: the facilitator opens
the ledger, declares a figure for a kept synergy (a figure in a wrong unit is refused
beside its field first), verifies it on evidence, and builds the year's report (a job
the page follows) as a PDF and as an .ods whose totals include the new figure."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest

from tests.browser.demo import SCREENSHOTS, DemoServer

pytestmark = pytest.mark.browser


def test_ledger_entry_verification_and_report(browser: Any, demo_server: DemoServer) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.goto(demo_server.url + "login/")
    page.fill("#id_username", demo_server.username)
    page.fill("#id_password", demo_server.password)
    page.click("button[type=submit]:not(.link)")
    page.click(".cards a")
    page.locator(".territory-nav li a[href$='/ledger/']").click()
    assert "Registre d’impact" in page.inner_text("h1")
    before = page.inner_text("#totals")
    # The demo's second kept synergy: declare this year's water it saves.
    page.locator("#synergies tbody tr a").nth(1).click()
    page.fill("#id_year", "2026")
    page.select_option("#id_metric", "water_m3")
    page.fill("#id_value", "250")
    page.fill("#id_unit", "kg")
    page.click("#declare button[type=submit]")
    assert "n’est pas une unité" in page.inner_text("#declare")
    page.fill("#id_unit", "m3")
    page.click("#declare button[type=submit]")
    assert "Le chiffre est enregistré." in page.content()
    row = page.locator("#figures tr.current", has_text="Eau économisée").first
    assert "Déclaré" in row.inner_text()
    # Verification without evidence is refused, then made on evidence.
    row.locator("summary").click()
    row.locator("input[name=verifier]").fill("Régie des eaux")
    row.locator("button[type=submit]").click()
    assert "justificatif" in page.content()
    row = page.locator("#figures tr.current", has_text="Eau économisée").first
    row.locator("summary").click()
    row.locator("input[name=verifier]").fill("Régie des eaux")
    row.locator("textarea[name=evidence]").fill("Relevés de compteur 2026")
    row.locator("button[type=submit]").click()
    row = page.locator("#figures tr.current", has_text="Eau économisée").first
    assert "Vérifié" in row.inner_text() and "Relevés de compteur 2026" in row.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "ledger-synergy.png"), full_page=True)
    # Back on the ledger, the year's water total is there; the report downloads.
    page.locator(".territory-nav li a[href$='/ledger/']").click()
    page.goto(page.url.split("?")[0] + "?year=2026")
    assert page.inner_text("#totals") != before
    water = page.locator("#totals tr", has_text="Eau économisée").inner_text()
    assert "Vérifié" in water and "verified" not in water  # the confidence in words
    # On a phone the wide tables scroll in their own box; the page keeps the screen's width.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 720})
    # The report is built as a job: the page follows it, then offers the file.
    page.click("#report-build")  # the PDF, in French, is the form's default
    with page.expect_download() as pdf:
        page.locator("#report-download").click(timeout=120_000)
    assert pdf.value.suggested_filename.endswith("-2026-rapport.pdf")
    with open(pdf.value.path(), "rb") as data:
        assert data.read(4) == b"%PDF"
    page.select_option("#id_fmt", "ods")
    page.click("#report-build")
    page.wait_for_selector("#report-run:has-text('.ods') #report-download", timeout=120_000)
    with page.expect_download() as ods:
        page.click("#report-download")
    with open(ods.value.path(), "rb") as data:
        sheets = pd.read_excel(io.BytesIO(data.read()), sheet_name=None, engine="odf")
    key = sheets["Chiffres clés"].set_index("Unité")
    assert key.loc["m3"].iloc[1] == pytest.approx(250.0)
    context.close()
