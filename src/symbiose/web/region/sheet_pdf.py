"""A practice sheet on one A4 page, drawn by ReportLab as the workshop's printed matter
is (no browser, no HTML-to-PDF step for a page of text and a table of figures).

The texts are bounded by the form (1,200 characters each), and the sheet shrinks its
body font when they are all long, so that it stays one page.
"""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from symbiose.web.region.visibility import VisibleSheet

ACCENT = colors.HexColor("#2f7d8c")
LIGHT = colors.HexColor("#e8f0ec")
_ROLE = {"supplier": gettext_noop("Supplier"), "receiver": gettext_noop("Receiver"),
         "member": gettext_noop("Partner")}


def _number(value: Decimal | None, places: int) -> str:
    return "—" if value is None else number_format(value, places, force_grouping=True)


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def _story(sheet: VisibleSheet, body: ParagraphStyle) -> list[Flowable]:
    styles = getSampleStyleSheet()
    title = styles["Title"].clone("sheet-title", fontSize=18, leading=22, alignment=0,
                                  textColor=ACCENT)
    heading = styles["Heading3"].clone("sheet-heading", spaceBefore=5, spaceAfter=2,
                                       textColor=ACCENT)
    small = body.clone("sheet-small", fontSize=body.fontSize - 1, textColor=colors.grey)
    since = (gettext("operational since %(year)s") % {"year": sheet.operational_since}
             if sheet.operational_since else gettext("operational"))
    story: list[Flowable] = [
        Paragraph(gettext("Practice sheet"), small),
        Paragraph(_text(sheet.title), title),
        Paragraph(_text(f"{sheet.type_label} · {sheet.territory} · {since}"), body),
        Spacer(1, 3 * mm),
    ]
    figures = Table([
        [gettext("Tonnes per year"), gettext("t CO2e avoided per year"),
         gettext("Euros saved per year")],
        [_number(sheet.tonnes, 1), _number(sheet.co2e_t, 1), _number(sheet.eur, 0)],
    ], colWidths=[58 * mm] * 3)
    figures.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), LIGHT), ("FONTSIZE", (0, 0), (-1, 0), 8),
        ("FONTSIZE", (0, 1), (-1, 1), 14), ("FONTNAME", (0, 1), (-1, 1), "Helvetica-Bold"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
        ("TOPPADDING", (0, 1), (-1, 1), 6), ("BOTTOMPADDING", (0, 1), (-1, 1), 6)]))
    story.append(figures)
    if sheet.figures_note:
        story.append(Paragraph(_text(sheet.figures_note), small))
    for label, text in ((gettext("What is exchanged"), sheet.exchanged),
                        (gettext("How it works"), sheet.method),
                        (gettext("Obstacles met, and how they were overcome"),
                         sheet.obstacles)):
        if text:
            story += [Paragraph(label, heading), Paragraph(_text(text), body)]
    story.append(Paragraph(gettext("Who takes part"), heading))
    for party in sheet.parties:
        story.append(Paragraph(
            f"<b>{escape(gettext(_ROLE.get(party.role, 'Partner')))}</b> — "
            f"{escape(party.name)}", body))
    if sheet.contacts:
        story += [Paragraph(gettext("Contacts"), heading), Paragraph(_text(sheet.contacts),
                                                                     body)]
    elif any(not p.named for p in sheet.parties):
        story.append(Paragraph(gettext(
            "Some companies did not agree to be named: ask the region's facilitator to be "
            "put in touch."), small))
    story += [Spacer(1, 4 * mm), Paragraph(gettext(
        "Figures as recorded in the territory's action programme (estimated unless "
        "stated otherwise). Published with Symbiose."), small)]
    return story


def sheet_pdf(sheet: VisibleSheet) -> bytes:
    """The sheet's PDF; one page, the body shrinking from 10 pt to 7 pt if need be."""
    body = getSampleStyleSheet()["BodyText"]
    assert isinstance(body, ParagraphStyle)
    for size in (10, 9, 8, 7):
        out = io.BytesIO()
        doc = SimpleDocTemplate(out, pagesize=A4, title=sheet.title, author="Symbiose",
                                leftMargin=18 * mm, rightMargin=18 * mm,
                                topMargin=16 * mm, bottomMargin=14 * mm)
        doc.build(_story(sheet, body.clone(f"sheet-body-{size}", fontSize=size,
                                           leading=size * 1.3)))
        if doc.page == 1:
            break
    return out.getvalue()
