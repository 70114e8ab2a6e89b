"""The workshop's printed matter: A6 cards four to an A4 sheet, each with a QR code to its
company's page, and the summary as PDF and as a spreadsheet (one sheet per table).

ReportLab draws the PDFs (its own QR code widget, so no image library is needed);
openpyxl writes the workbook, as the territory export does.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from symbiose.core.bundle.opendocument import write_spreadsheet
from symbiose.web.territory.templatetags.symbiose_format import unit_label
from symbiose.web.workshops.models import Card
from symbiose.web.workshops.selectors import WorkshopSummary

# Four A6 cards on an A4 sheet, cut along the middle lines.
CARD_W, CARD_H = A4[0] / 2, A4[1] / 2
QR_SIZE = 32 * mm


def _quantity(card: Card) -> str:
    if card.quantity is None:
        return ""
    number = format(card.quantity.normalize(), "f")
    return f"{number} {unit_label(card.unit)} / " + gettext("year")


def _side(card: Card) -> str:
    return gettext("I have") if card.side == Card.Side.HAVE else gettext("I am looking for")


def _wrap(canvas: Canvas, text: str, x: float, y: float, width: float, *, size: int,
          lines: int) -> float:
    """Draw `text` in at most `lines` lines within `width` (the last one cut with "…");
    the y below the last line."""
    split = simpleSplit(text, "Helvetica-Bold", size, width)
    if len(split) > lines:
        split = [*split[:lines - 1], split[lines - 1][:-1] + "…"]
    for line in split:
        canvas.drawString(x, y, line)
        y -= size * 1.25
    return y


@lru_cache(maxsize=256)
def _qr(url: str) -> Drawing:
    """The QR code of a company's page, drawn once for all its cards (encoding one is
    most of a card's drawing time)."""
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE,
                      transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom),
                                 0, 0])
    drawing.add(widget)
    return drawing


def _card(canvas: Canvas, card: Card, x: float, y: float, theme: str, url: str) -> None:
    margin = 10 * mm
    canvas.setStrokeColor(colors.lightgrey)
    canvas.setDash(3, 3)
    canvas.rect(x, y, CARD_W, CARD_H)
    canvas.setDash()
    top = y + CARD_H - margin
    canvas.setFillColor(colors.HexColor("#1b6e53" if card.side == Card.Side.HAVE
                                        else "#8a4b08"))
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(x + margin, top - 6 * mm, _side(card))
    canvas.setFillColor(colors.black)
    canvas.setFont("Helvetica-Bold", 14)
    below = _wrap(canvas, card.label, x + margin, top - 18 * mm, CARD_W - 2 * margin,
                  size=14, lines=4)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(x + margin, below - 4 * mm, _quantity(card))
    if card.note:
        canvas.drawString(x + margin, below - 10 * mm, card.note[:70])
    canvas.setFont("Helvetica", 10)
    canvas.drawString(x + margin, y + margin + QR_SIZE + 4 * mm,
                      card.participant.actor.name[:60])
    if theme:
        canvas.drawString(x + margin, y + margin + QR_SIZE + 9 * mm, theme[:60])
    renderPDF.draw(_qr(url), canvas, x + CARD_W - margin - QR_SIZE, y + margin)
    canvas.setFont("Helvetica", 7)
    canvas.drawString(x + margin, y + margin, gettext("Scan to see and edit this card"))


def cards_pdf(cards: Sequence[Card], *, theme_of: Callable[[Card], str],
              url_of: Callable[[Card], str]) -> bytes:
    """Every card, four to a page, each with a QR code to its company's page."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(gettext("Workshop cards"))
    spots = [(0, CARD_H), (CARD_W, CARD_H), (0, 0), (CARD_W, 0)]
    for index, card in enumerate(cards):
        if index and index % 4 == 0:
            canvas.showPage()
        x, y = spots[index % 4]
        _card(canvas, card, x, y, theme_of(card), url_of(card))
    if not cards:
        canvas.drawString(20 * mm, A4[1] - 30 * mm, gettext("No card yet."))
    canvas.save()
    return out.getvalue()


def _level(value: int | None) -> str:
    return "–" if value is None else str(value)


def summary_tables(summary: WorkshopSummary) -> dict[str, list[list[str]]]:
    """The summary's tables, header row first: the same numbers in the PDF and the
    workbook."""
    kept = {(k.have_id, k.want_id): k for k in summary.kept}
    participants = [[gettext("Participant"), gettext("Table"), gettext("Cards"),
                     gettext("Cards confirmed by the company")]]
    participants += [[p.actor.name, p.table.theme if p.table else "",
                      str(getattr(p, "card_count", "")),
                      gettext("yes") if p.confirmed_at else gettext("no")]
                     for p in summary.participants]
    cards = [[gettext("Theme"), gettext("Participant"), gettext("Side"), gettext("Card"),
              gettext("Quantity")]]
    cards += [[theme.theme, c.participant.actor.name, _side(c), c.label, _quantity(c)]
              for theme in summary.themes for c in [*theme.haves, *theme.wants]]
    pairs = [[gettext("Have"), gettext("Offered by"), gettext("Want"),
              gettext("Wanted by"), gettext("Interest of the giver"),
              gettext("Interest of the taker"), gettext("Decision")]]
    for row in summary.pairs:
        decision = kept.get((row.have.pk, row.want.pk))
        pairs.append([row.have.label, row.have.participant.actor.name, row.want.label,
                      row.want.participant.actor.name, _level(row.have_interest),
                      _level(row.want_interest),
                      (gettext("kept: proposal %(id)d") % {"id": decision.proposal_id})
                      if decision else ""])
    return {gettext("Participants"): participants, gettext("Cards"): cards,
            gettext("Pairs"): pairs}


def summary_pdf(summary: WorkshopSummary) -> bytes:
    out = io.BytesIO()
    workshop = summary.workshop
    doc = SimpleDocTemplate(out, pagesize=A4, title=workshop.title,
                            leftMargin=15 * mm, rightMargin=15 * mm)
    styles = getSampleStyleSheet()
    cell = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    story: list[Flowable] = [
        Paragraph(workshop.title, styles["Title"]),
        Paragraph(f"{date_format(workshop.date, 'DATE_FORMAT')} · {workshop.place}",
                  styles["Normal"]),
        Paragraph(gettext("%(p)d participants, %(c)d cards, %(pairs)d pairs, "
                          "%(k)d kept.") % {
            "p": len(summary.participants),
            "c": sum(len(t.haves) + len(t.wants) for t in summary.themes),
            "pairs": len(summary.pairs), "k": len(summary.kept)}, styles["Normal"]),
    ]
    for title, rows in summary_tables(summary).items():
        story += [Spacer(1, 6 * mm), Paragraph(title, styles["Heading2"])]
        if len(rows) == 1:
            story.append(Paragraph(gettext("None."), styles["Normal"]))
            continue
        table = Table([[Paragraph(str(v), cell) for v in row] for row in rows],
                      repeatRows=1)
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0ec")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    doc.build(story)
    return out.getvalue()


def summary_ods(summary: WorkshopSummary) -> bytes:
    """The workbook's tables as an OpenDocument spreadsheet, for LibreOffice."""
    out = io.BytesIO()
    write_spreadsheet(out, ((title, rows) for title, rows in summary_tables(summary).items()))
    return out.getvalue()


def summary_xlsx(summary: WorkshopSummary) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in summary_tables(summary).items():
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append(row)
        for header in sheet[1]:
            header.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
