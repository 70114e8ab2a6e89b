"""The report as tables: one per sheet of the spreadsheets, and the PDF's tables too, so
that a number reads the same in every format."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from symbiose.core.ledger import METRICS
from symbiose.web.ledger.report.content import METRIC_LABELS, Report

Cell = str | int | float | None


@dataclass(frozen=True)
class Table:
    name: str  # a sheet's name: 31 characters at most
    headers: list[str]
    rows: list[list[Cell]]


def report_tables(report: Report) -> list[Table]:
    figure_names = [f"{METRIC_LABELS[m]} ({spec.unit})" for m, spec in METRICS.items()]
    return [
        Table(gettext("Key figures"),
              [gettext("Figure"), gettext("Unit"), str(report.year), gettext("Confidence")],
              [[str(k.label), k.unit, k.value,
                gettext("hidden (fewer than 3 companies)") if k.hidden else k.confidence]
               for k in report.key_figures]),
        Table(gettext("Funnel"), [gettext("Stage"), gettext("Count")],
              [[label, value] for label, value in report.funnel]),
        Table(gettext("Yearly series"), [gettext("Year"), *figure_names],
              [[year, *(report.series[m][i] for m in METRICS)]
               for i, year in enumerate(report.series_years)]),
        Table(gettext("Synergies"),
              [gettext("Synergy"), gettext("Stage"), gettext("Type"), gettext("Resource"),
               gettext("Actors"), gettext("Owner"), *figure_names, gettext("Status")],
              [[s.id, s.stage, s.type, s.resource, s.actors, s.owner,
                *(s.figures.get(m) for m in METRICS), s.status]
               for s in report.synergies]),
        Table(gettext("Indicators"),
              [gettext("Indicator"), gettext("Kind"), gettext("Unit"), str(report.year),
               gettext("How computed or who fills it"), gettext("Source")],
              [[i.label, i.kind, i.unit, i.value, i.how, i.source]
               for i in report.indicators]),
        Table(gettext("Method and sources"),
              [gettext("Kind"), gettext("Synergy"), gettext("Figure"), gettext("Detail")],
              [[s.kind, s.synergy, s.figure, s.detail] for s in report.sources]),
    ]
