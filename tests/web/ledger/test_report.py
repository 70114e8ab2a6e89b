"""The report: its totals are the ledger's in every format, it says what is missing, and
it names no company that did not agree when fewer than K_MIN are behind a figure."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook

from symbiose.web.ledger import selectors, services
from symbiose.web.ledger.report.build import report_file
from symbiose.web.ledger.report.content import report_build
from tests.web.ledger.conftest import Park

pytestmark = pytest.mark.django_db


def _fill(park: Park) -> None:
    by = park.users["facilitator"]
    for year, tonnes in ((2024, "100"), (2025, "118")):
        services.entry_declare(synergy=park.sawdust, year=year, metric="tonnes",
                               value=Decimal(tonnes), unit="t",
                               declared_by=park.actors["scierie"], by=by)
        services.ledger_estimate(territory=park.territory, year=year, by=by)
    services.score_record(territory=park.territory, year=2025,
                          indicator="governance_steering", score=3, by=by)


def _sheets(data: bytes, fmt: str) -> dict[str, pd.DataFrame]:
    engine = {"xlsx": "openpyxl", "ods": "odf"}[fmt]
    return pd.read_excel(io.BytesIO(data), sheet_name=None, engine=engine)


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_the_workbook_totals_are_the_ledgers(park: Park, fmt: str) -> None:
    _fill(park)
    for name in ("scierie", "chaufferie", "cartonnerie"):  # three companies behind
        services.consent_set(actor=park.actors[name], agreed=False, by=None)
    data = report_file(territory=park.territory, year=2025, fmt=fmt,
                       by=park.users["facilitator"])
    sheets = _sheets(data, fmt)
    assert list(sheets) == ["Chiffres clés", "Entonnoir", "Séries annuelles", "Synergies",
                            "Indicateurs", "Méthode et sources"]
    ledger = selectors.yearly_totals(territory=park.territory)
    key = sheets["Chiffres clés"].set_index("Unité")
    assert key.loc["t"].iloc[0, 1] == pytest.approx(ledger[2025]["tonnes"].value)
    assert key.loc["tCO2e"].iloc[1] == pytest.approx(ledger[2025]["co2e_t"].value)
    series = sheets["Séries annuelles"].set_index("Année")
    assert list(series.index) == [2024, 2025]
    for year in (2024, 2025):
        assert series.loc[year].iloc[0] == pytest.approx(ledger[year]["tonnes"].value)
    sources = sheets["Méthode et sources"]
    assert sources["Détail"].str.contains("DESNZ 2025").any()
    assert sources["Détail"].str.contains("déclaré").any()


def test_the_pdf_has_every_part_and_its_totals(park: Park, tmp_path: object) -> None:
    _fill(park)
    services.entry_verify(
        entry=selectors.entry_current(synergy=park.sawdust, year=2025, metric="tonnes"),  # type: ignore[arg-type]
        verifier="Cabinet Audit Meuse", evidence="Bons de pesée", by=None)
    data = report_file(territory=park.territory, year=2025, fmt="pdf", by=None)
    assert data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()
    for part in ("Val de Meuse", "Rapport annuel 2025", "Chiffres clés", "Entonnoir",
                 "Séries annuelles", "métabolisme", "Carte", "Synergies par étape",
                 "Indicateurs", "Méthode et sources", "Cabinet Audit Meuse"):
        assert part in text, part
    total = selectors.yearly_totals(territory=park.territory)[2025]["tonnes"].value
    assert f"{total:,.1f}".replace(",", "\u202f").replace(".", ",") in text or \
        f"{total:.1f}".replace(".", ",") in text


def test_a_year_without_figures_says_so_rather_than_inventing(park: Park) -> None:
    _fill(park)
    report = report_build(territory=park.territory, year=2019, by=None)
    assert all(k.value is None for k in report.key_figures)
    assert any("2019" in line for line in report.missing)
    assert report.radar is None  # nothing scored for 2019


def test_few_companies_that_did_not_agree_are_not_shown(park: Park) -> None:
    services.entry_declare(synergy=park.sawdust, year=2025, metric="tonnes",
                           value=Decimal("118"), unit="t", declared_by=park.actors["scierie"],
                           by=None)  # only the sawdust synergy: two companies behind
    report = report_build(territory=park.territory, year=2025, by=None)
    assert all(k.value is None for k in report.key_figures)
    row = next(s for s in report.synergies if s.id == park.sawdust.pk)
    assert "Scierie" not in row.actors and row.figures["tonnes"] is None
    assert not any("Scierie" in s.detail for s in report.sources)
    # Both companies agree: they are named with their figures.
    for name in ("scierie", "chaufferie"):
        services.consent_set(actor=park.actors[name], agreed=True, by=None)
    report = report_build(territory=park.territory, year=2025, by=None)
    row = next(s for s in report.synergies if s.id == park.sawdust.pk)
    assert "Scierie Durand" in row.actors and row.figures["tonnes"] == 118.0
    assert report.key_figures[0].value == 118.0
    assert len(report.map_links) == 1


def test_the_workbook_of_an_empty_year_opens(park: Park) -> None:
    data = report_file(territory=park.territory, year=2019, fmt="xlsx", by=None)
    assert load_workbook(io.BytesIO(data)).sheetnames[0] == "Chiffres clés"


def test_a_missing_factor_is_said_not_counted_as_zero(park: Park) -> None:
    from tests.web.ledger.conftest import synergy_make

    odd = synergy_make(park.territory, park.actors["scierie"], park.actors["imprimerie"],
                       "Nacelle articulée 16 m", "2")  # no emission factor for its class
    services.ledger_estimate(territory=park.territory, year=2025, by=None)
    report = report_build(territory=park.territory, year=2025, by=None)
    said = [line for line in report.missing if "CO2e" in line]
    assert len(said) == 1 and "aerial_platform" in said[0]
    assert selectors.entry_current(synergy=odd, year=2025, metric="co2e_t") is None


def test_a_name_that_looks_like_markup_is_printed_as_typed(park: Park) -> None:
    """reportlab reads markup in its paragraphs: a territory named like a tag must be
    shown as typed, not parsed (it made the report fail)."""
    _fill(park)
    park.territory.name = 'Val <img src=x onerror=alert(1)> & "Meuse"'
    park.territory.save()
    data = report_file(territory=park.territory, year=2025, fmt="pdf", by=None)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()
    assert 'Val <img src=x onerror=alert(1)> & "Meuse"' in text
