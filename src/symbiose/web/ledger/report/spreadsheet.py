"""The report as a workbook, one sheet per table: .xlsx through openpyxl, .ods through
odfpy, both by pandas' ExcelWriter so that the two files are written by one code path."""

from __future__ import annotations

import io

import pandas as pd

from symbiose.web.ledger.report.content import Report
from symbiose.web.ledger.report.tables import report_tables

ENGINES = {"xlsx": "openpyxl", "ods": "odf"}


def report_workbook(report: Report, fmt: str) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine=ENGINES[fmt]) as writer:
        used: set[str] = set()
        for table in report_tables(report):
            name = table.name[:31]
            while name in used:
                name = name[:29] + f"{len(used):02d}"
            used.add(name)
            frame = pd.DataFrame(table.rows, columns=table.headers)
            frame.to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()
