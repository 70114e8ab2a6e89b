"""The funder report as a PDF, laid out with reportlab's platypus.

reportlab rather than an HTML-to-PDF route: it is already the project's PDF library (the
workshop cards), needs no system library (WeasyPrint needs Pango) and no browser process
per report (Chromium's start alone is seconds on a loaded machine), and its graphics draw
the Sankey, the radar, the series and the map as vectors in the same pass.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import cast

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from symbiose.core.ledger import METRICS
from symbiose.web.ledger.report import charts
from symbiose.web.ledger.report.content import METRIC_LABELS, Report
from symbiose.web.ledger.report.tables import Cell, report_tables

# A PDF table of thousands of rows is unreadable: past this, the spreadsheet has them all.
PDF_ROWS = 120


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    styles = {key: cast(ParagraphStyle, base[name]) for key, name in (
        ("title", "Title"), ("h1", "Heading1"), ("h2", "Heading2"), ("body", "BodyText"))}
    styles["small"] = ParagraphStyle("small", parent=styles["body"], fontSize=7, leading=8.5)
    return styles


def _cell(value: Cell, style: ParagraphStyle) -> Paragraph:
    if value is None:
        text = "–"
    elif isinstance(value, float):
        text = number_format(round(value, 1), decimal_pos=1, use_l10n=True,
                             force_grouping=True)
    else:
        text = str(value)
    return Paragraph(_markup_free(text), style)


def _markup_free(text: str) -> str:
    """Text for a reportlab Paragraph, which reads its own markup: a territory or a
    resource named "<b>" or "a & b" is shown as typed, never parsed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(headers: Sequence[str], rows: Sequence[Sequence[Cell]],
           style: ParagraphStyle, widths: Sequence[float] | None = None) -> Table:
    data = [[_cell(h, style) for h in headers]]
    data += [[_cell(v, style) for v in row] for row in rows[:PDF_ROWS]]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3eee7")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _more(rows: int, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    if rows <= PDF_ROWS:
        return []
    return [Paragraph(gettext("%(n)s more rows are in the spreadsheet (.xlsx, .ods).")
                      % {"n": rows - PDF_ROWS}, s["small"])]


def report_pdf(report: Report) -> bytes:
    s = _styles()
    tables = {t.name: t for t in report_tables(report)}
    names = list(tables)
    story: list[Flowable] = [
        Spacer(1, 50 * mm),
        Paragraph(gettext("Industrial and territorial ecology programme"), s["h2"]),
        Paragraph(_markup_free(report.territory), s["title"]),
        Paragraph(gettext("Yearly report %(year)s") % {"year": report.year}, s["h1"]),
        Paragraph(gettext("Produced on %(date)s with Symbiose.") % {
            "date": date_format(report.generated, "DATE_FORMAT")}, s["body"]),
        Spacer(1, 10 * mm),
    ]
    for line in report.missing:
        story.append(Paragraph("— " + _markup_free(line), s["body"]))
    story += [PageBreak(), Paragraph(gettext("Key figures"), s["h1"]),
              Paragraph(gettext("Each figure is the sum of the synergies' current figures; "
                                "its confidence says the weakest of them (estimated by the "
                                "engine, declared by a company, verified on evidence) and "
                                "the share verified."), s["small"]),
              _table(tables[names[0]].headers, tables[names[0]].rows, s["small"],
                     [60 * mm, 18 * mm, 30 * mm, 62 * mm]),
              Spacer(1, 6 * mm), Paragraph(gettext("Funnel"), s["h2"]),
              _table(tables[names[1]].headers, tables[names[1]].rows, s["small"],
                     [100 * mm, 30 * mm])]
    story.append(Spacer(1, 6 * mm))
    series_title = Paragraph(gettext("Yearly series"), s["h2"])
    if report.series_years:
        shown = [m for m in METRICS if any(report.series[m])][:4]
        pictures: list[Flowable] = [
            charts.bars(report.series_years, [v or 0.0 for v in report.series[m]],
                        f"{METRIC_LABELS[m]} ({METRICS[m].unit})") for m in shown]
        grid = [pictures[i:i + 2] for i in range(0, len(pictures), 2)]
        story.append(KeepTogether([series_title, Table(grid) if grid else Spacer(1, 1), _table(
            tables[names[2]].headers, tables[names[2]].rows, s["small"])]))
    else:
        story += [series_title,
                  Paragraph(gettext("No year has figures in the ledger yet."), s["body"])]
    story += [PageBreak(), Paragraph(gettext("The territory's metabolism"), s["h1"])]
    if report.sankey:
        story += [Paragraph(gettext("Inputs and outputs by resource family and sector of "
                                    "activity, in tonnes per year (balances of %(year)s); "
                                    "small flows are grouped to protect the companies.")
                            % {"year": report.sankey_year}, s["small"]),
                  charts.sankey(report.sankey)]
    else:
        story.append(Paragraph(gettext("No flow balance in tonnes to draw."), s["body"]))
    story += [Spacer(1, 6 * mm), Paragraph(gettext("Map"), s["h2"]),
              Paragraph(gettext("The territory's actors (points) and the named synergies "
                                "(lines)."), s["small"]),
              charts.actor_map(report.map_points, report.map_links)]
    synergies = tables[names[3]]
    story += [PageBreak(), Paragraph(gettext("Synergies by stage"), s["h1"]),
              _table([h for i, h in enumerate(synergies.headers) if i not in (0, 2)][:7],
                     [[v for i, v in enumerate(r) if i not in (0, 2)][:7]
                      for r in synergies.rows], s["small"]),
              *_more(len(synergies.rows), s)]
    story += [PageBreak(), Paragraph(gettext("Indicators"), s["h1"])]
    if report.radar:
        story.append(KeepTogether([Paragraph(gettext("Qualitative indicators (0 to 4)"),
                                             s["h2"]), charts.radar(*report.radar)]))
    indicators = tables[names[4]]
    story += [_table(indicators.headers, indicators.rows, s["small"],
                     [40 * mm, 16 * mm, 16 * mm, 16 * mm, 46 * mm, 40 * mm])]
    sources = tables[names[5]]
    story += [PageBreak(), Paragraph(gettext("Method and sources"), s["h1"]),
              Paragraph(gettext("CO2e avoided = avoided production + avoided disposal − "
                                "transport. Each estimated figure names its emission "
                                "factors; each declaration says who declared it and when; "
                                "each verification says by whom and on what evidence."),
                        s["small"]),
              _table(sources.headers, sources.rows, s["small"],
                     [22 * mm, 40 * mm, 30 * mm, 82 * mm]),
              *_more(len(sources.rows), s)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=16 * mm,
                            title=f"{report.territory} {report.year}")
    doc.build(story)
    return buffer.getvalue()
