"""Bundles as OpenDocument spreadsheets (.ods): LibreOffice's format, and the reference
format of the French public sector, read and written through odfpy (the library pandas
itself reads .ods with; it parses through defusedxml).

A sheet yields its rows exactly as an .xlsx sheet does (`tables.SheetTable`): cells as
the text a CSV would hold, formulas flagged rather than evaluated. What is particular to
the format: LibreOffice compresses runs of identical rows and cells
(`number-rows-repeated`, `number-columns-repeated`), often a million empty rows or a
thousand empty cells after the data; those runs are counted, never expanded.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from xml.sax import SAXException

from odf import teletype
from odf.namespaces import TABLENS, TEXTNS
from odf.opendocument import OpenDocumentSpreadsheet, load
from odf.style import Style, TextProperties
from odf.table import Table as OdfTable
from odf.table import TableCell, TableRow
from odf.text import P

from symbiose.core.bundle.columns import TableSpec
from symbiose.core.bundle.limits import COMMAND_LIMITS, ReadLimits
from symbiose.core.bundle.neutralise import restore
from symbiose.core.bundle.tables import TOO_MANY_ROWS, RawRow, TableReadError, blank_run_error
from symbiose.core.bundle.values import format_decimal

SUFFIX = ".ods"
SPREADSHEET_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ROW = (TABLENS, "table-row")
_CELL = (TABLENS, "table-cell")
_CELLS = {_CELL, (TABLENS, "covered-table-cell")}  # a merged cell's hidden part is a cell
_PARAGRAPH = (TEXTNS, "p")
# Rows may sit inside these groupings (a header row kept on each printed page, a folded
# group of rows); their rows are the sheet's rows all the same.
_ROW_GROUPS = {(TABLENS, "table-header-rows"), (TABLENS, "table-row-group"),
               (TABLENS, "table-rows")}
_NUMBERS = {"float", "percentage", "currency"}


class NotASpreadsheet(Exception):
    """The file opens as a zip but is no OpenDocument spreadsheet (a text document, a
    broken save, another format renamed)."""


def open_spreadsheet(path: Path) -> list[tuple[str, Any]]:
    """The sheets of the spreadsheet at `path`, as (name, sheet) in the file's order."""
    try:
        document = load(str(path))
    except (zipfile.BadZipFile, KeyError, SAXException, ValueError, OSError, EOFError,
            zlib.error) as error:
        raise NotASpreadsheet(str(error)) from error
    if document.mimetype != SPREADSHEET_MIMETYPE:
        raise NotASpreadsheet(document.mimetype)
    return [(sheet.getAttribute("name") or "", sheet)
            for sheet in document.spreadsheet.childNodes if sheet.qname == (TABLENS, "table")]


def _rows(parent: Any) -> Iterator[Any]:
    for child in parent.childNodes:
        if child.qname == _ROW:
            yield child
        elif child.qname in _ROW_GROUPS:
            yield from _rows(child)


def _repeated(element: Any, attribute: str) -> int:
    try:
        return max(int(element.getAttribute(attribute) or 1), 1)
    except ValueError:
        return 1


def _cell_text(cell: Any) -> str:
    """The cell as the text a CSV would hold: 1800 for 1800.0, a date as 2025-01-31."""
    kind = cell.getAttribute("valuetype")
    if kind in _NUMBERS:
        try:
            return format_decimal(Decimal(cell.getAttribute("value")))
        except (InvalidOperation, TypeError):
            pass  # no usable value: what the cell shows, below
    elif kind == "date":
        value = cell.getAttribute("datevalue") or ""
        return value.removesuffix("T00:00:00")
    elif kind == "boolean":
        return "true" if cell.getAttribute("booleanvalue") == "true" else "false"
    return "\n".join(teletype.extractText(p) for p in cell.childNodes
                     if p.qname == _PARAGRAPH)


def _cells(row: Any, keep: int) -> tuple[list[str], tuple[int, ...]]:
    """The row's first `keep` cells as text, and the positions of those holding a
    formula."""
    cells: list[str] = []
    formulas: list[int] = []
    for cell in row.childNodes:
        if len(cells) >= keep:
            break
        if cell.qname not in _CELLS:
            continue
        formula = cell.getAttribute("formula") if cell.qname == _CELL else None
        text = formula or restore(_cell_text(cell))
        for _ in range(min(_repeated(cell, "numbercolumnsrepeated"), keep - len(cells))):
            if formula:
                formulas.append(len(cells))
            cells.append(text)
    return cells, tuple(formulas)


@dataclass(frozen=True, slots=True)
class OdsTable:
    spec: TableSpec
    where: str
    sheet: Any  # odf.table.Table
    limits: ReadLimits = COMMAND_LIMITS

    def rows(self, width: int | None = None) -> Generator[RawRow, None, None]:
        """Rows numbered as LibreOffice shows them; blank rows skipped. A run of blank
        rows costs nothing however long (the file counts it rather than holding it), so
        only a run followed by more data is reported, as in a CSV file."""
        number = last_filled = 0
        limits = self.limits
        keep = width if width is not None else limits.max_columns + 1
        for row in _rows(self.sheet):
            repeat = _repeated(row, "numberrowsrepeated")
            cells, formulas = _cells(row, keep)
            if not formulas and not any(cell.strip() for cell in cells):
                number += repeat
                continue
            if number - last_filled > limits.max_blank_run:
                raise blank_run_error(last_filled, number)
            for _ in range(repeat):
                number += 1
                if number > limits.max_rows:
                    raise TableReadError(TOO_MANY_ROWS, row=number, limit=str(limits.max_rows))
                last_filled = number
                yield number, list(cells), formulas


def _cell(value: str | int | float | None, style: Any = None) -> Any:
    styled = {"stylename": style} if style is not None else {}
    if value is None:
        return TableCell(**styled)
    if isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=str(value), **styled)
        cell.addElement(P(text=str(value)))
        return cell
    cell = TableCell(valuetype="string", **styled)
    for line in value.split("\n"):
        cell.addElement(P(text=line))
    return cell


def write_spreadsheet(target: Path | IO[bytes],
                      sheets: Iterable[tuple[str, Iterable[list[Any]]]]) -> None:
    """Write each (name, rows) as a sheet, its first row in bold (the header); numbers
    as numeric cells, text as text (an OpenDocument cell is a formula only by its
    attribute, never by its text)."""
    document = OpenDocumentSpreadsheet()
    bold = Style(name="header", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    for name, rows in sheets:
        sheet = OdfTable(name=name)
        for number, values in enumerate(rows):
            row = TableRow()
            for value in values:
                row.addElement(_cell(value, bold if number == 0 else None))
            sheet.addElement(row)
        document.spreadsheet.addElement(sheet)
    document.save(target if not isinstance(target, Path) else str(target))
