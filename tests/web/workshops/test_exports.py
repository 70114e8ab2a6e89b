"""The printed cards and the summary, read back as a PDF reader and a spreadsheet would."""

from __future__ import annotations

import io

import pandas
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from symbiose.web.workshops import services
from symbiose.web.workshops.models import Card, Pair
from tests.web.workshops.conftest import Room

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    """The text a PDF reader extracts (pdftotext from poppler, as a person would copy it)."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf,
                          capture_output=True, check=True)
    return done.stdout.decode()


def test_cards_pdf_has_every_card_four_to_a_page(room: Room) -> None:
    response = room.client("facilitator").get(
        reverse("workshops:cards_pdf", args=[room.territory.slug, room.workshop.pk]))
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    cards = Card.objects.filter(workshop=room.workshop).exclude(status="withdrawn").count()
    assert content.count(b"/Type /Page\n") + content.count(b"/Type /Page ") >= 1
    text = _text(content)
    assert "Lactosérum" in text and "Scierie Durand" in text
    assert text.count("\f") == -(-cards // 4)  # one form feed per page


def test_summary_xlsx_ods_and_pdf_say_the_same_pairs(room: Room) -> None:
    for participant in room.participants.values():
        services.cards_decide(participant=participant,
                              confirm=participant.cards.values_list("pk", flat=True),
                              withdraw=[], as_company=True, by=None)
    pair = Pair.objects.get(have__label="Lactosérum", want__label="Aliment pour porcs")
    services.interest_set(participant=room.participants["ferme"], pair=pair, level=3)
    services.pairs_keep(workshop=room.workshop, pairs=[pair], by=None)
    client = room.client("facilitator")
    args = [room.territory.slug, room.workshop.pk]
    book = load_workbook(io.BytesIO(client.get(
        reverse("workshops:summary_xlsx", args=args)).content))
    assert book.sheetnames == ["Participants", "Cartes", "Paires"]
    rows = list(book["Paires"].iter_rows(values_only=True))
    whey = next(r for r in rows if r[0] == "Lactosérum" and r[2] == "Aliment pour porcs")
    assert whey[5] == "3" and "proposition" in whey[6]
    assert len(rows) - 1 == Pair.objects.filter(workshop=room.workshop).count()
    # The .ods, read by another library (pandas over odfpy), holds the same cells.
    ods = client.get(reverse("workshops:summary_ods", args=args))
    assert ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    sheets = pandas.read_excel(io.BytesIO(ods.content), sheet_name=None, engine="odf",
                               header=None, dtype=str, keep_default_na=False)
    assert list(sheets) == book.sheetnames
    for name, frame in sheets.items():
        assert frame.values.tolist() == [[cell or "" for cell in row] for row in
                                         book[name].iter_rows(values_only=True)], name
    text = _text(client.get(reverse("workshops:summary_pdf", args=args)).content)
    assert "Atelier bois et agro" in text and "Lactosérum" in text
