"""The tables of a bundle as streams of rows of text, whatever file they came from.

A CSV file (its dialect detected) or a sheet of an .xlsx workbook (or, in
`opendocument`, of an .ods spreadsheet) yields its rows as
(number, cells, formula positions), read within the read limits; anything that stops the
reading is a `TableReadError` that says where, never a traceback.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any, Protocol
from xml.etree.ElementTree import ParseError

from symbiose.core.bundle.columns import TableSpec
from symbiose.core.bundle.dialects import Dialect
from symbiose.core.bundle.limits import COMMAND_LIMITS, ReadLimits
from symbiose.core.bundle.neutralise import restore
from symbiose.core.bundle.values import format_decimal
from symbiose.core.errors import SymbioseError
from symbiose.core.i18n import gettext_noop

# A row: its number as a spreadsheet shows it, its cells as text, and which cells held
# a formula (refused by the validator: the bundle must carry values).
RawRow = tuple[int, list[str], tuple[int, ...]]


class TableReadError(SymbioseError):
    """A table that cannot be read past some row (bad bytes, a broken workbook)."""

    def __init__(self, message: str, *, row: int, **params: str) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.row = row
        self.params = params


DECODING = gettext_noop(
    "the file stops being readable as %(encoding)s near this row; save it again as CSV UTF-8"
)
CSV_BROKEN = gettext_noop("the file cannot be read as CSV near this row (%(detail)s)")
SHEET_BROKEN = gettext_noop("the workbook cannot be read near this row; save it again in Excel")


TOO_MANY_ROWS = gettext_noop(
    "the table goes on past row %(limit)s, the most this import reads: import its rows in"
    " several parts, or have the administrator import the file from the command line"
    " (symbiose import --max-rows)"
)
BLANK_RUN = gettext_noop(
    "%(count)s blank rows in a row from row %(first)s: the rest of the table is not read;"
    " is the file damaged?"
)
LINE_TOO_LONG = gettext_noop(
    "this line is longer than %(limit)s characters; is the file really a CSV file?"
)
CELL_TOO_LONG = gettext_noop("a cell near this row holds more than %(limit)s characters")


def _bounded_lines(text: IO[str], limit: int) -> Generator[str, None, None]:
    """The file's lines, refusing one longer than `limit` characters before it is held
    whole: a single line of 800 MB would otherwise be read into memory at once."""
    while line := text.readline(limit + 1):
        if len(line) > limit and line[-1] not in "\r\n":
            raise _LineTooLong
        yield line


class _LineTooLong(Exception):
    pass


def blank_run_error(last_filled: int, number: int) -> TableReadError:
    return TableReadError(BLANK_RUN, row=last_filled + 1, count=str(number - last_filled),
                          first=str(last_filled + 1))


@dataclass(frozen=True, slots=True)
class CsvTable:
    spec: TableSpec
    where: str
    opener: Callable[[], IO[bytes]]
    dialect: Dialect
    limits: ReadLimits = COMMAND_LIMITS

    def rows(self, width: int | None = None) -> Generator[RawRow, None, None]:
        """Rows streamed through a TextIOWrapper; blank rows skipped (not counted). Cells
        past `width` (the header's; before it is known, one more than the most columns
        allowed) are dropped unread: a row of 16,384 empty cells costs no more than one
        of ten."""
        number = last_filled = 0
        limits = self.limits
        keep = width if width is not None else limits.max_columns + 1
        try:
            with self.opener() as raw:
                text = io.TextIOWrapper(raw, encoding=self.dialect.encoding, newline="")
                lines = _bounded_lines(text, limits.max_line_chars)
                for number, cells in enumerate(csv.reader(lines, delimiter=self.dialect.delimiter),
                                               1):
                    if number > limits.max_rows:
                        raise TableReadError(TOO_MANY_ROWS, row=number,
                                             limit=str(limits.max_rows))
                    if len(cells) > keep:
                        del cells[keep:]
                    formulas: list[int] = []
                    blank = True
                    for position, cell in enumerate(cells):
                        first = cell[:1]
                        if first == "=":
                            formulas.append(position)
                        elif first == "'":
                            cells[position] = restore(cell)
                        if blank and cell.strip():
                            blank = False
                    if not blank:
                        last_filled = number
                        yield number, cells, tuple(formulas)
                    elif number - last_filled > limits.max_blank_run:
                        raise blank_run_error(last_filled, number)
        except _LineTooLong as error:
            raise TableReadError(LINE_TOO_LONG, row=number + 1,
                                 limit=str(limits.max_line_chars)) from error
        except UnicodeDecodeError as error:
            raise TableReadError(DECODING, row=number + 1, encoding=self.dialect.label) from error
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise TableReadError(CELL_TOO_LONG, row=number + 1,
                                     limit=str(csv.field_size_limit())) from error
            raise TableReadError(CSV_BROKEN, row=number + 1, detail=str(error)) from error
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise TableReadError(CSV_BROKEN, row=number + 1, detail=str(error)) from error


def cell_text(value: Any) -> str:
    """An xlsx cell value as the text a CSV would hold: 1800.0 -> "1800", 0.25 -> "0.25"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_decimal(Decimal(repr(value)))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True, slots=True)
class SheetTable:
    spec: TableSpec
    where: str
    sheet: Any  # openpyxl ReadOnlyWorksheet
    limits: ReadLimits = COMMAND_LIMITS

    def rows(self, width: int | None = None) -> Generator[RawRow, None, None]:
        """Rows streamed by openpyxl's read_only iter_rows; a formula cell (data_type "f",
        the workbook being loaded with data_only=False) is flagged, not evaluated. Only
        the first `width` columns are read (see CsvTable.rows): openpyxl fills every empty
        cell up to the last one present, so a value in column XFD would otherwise cost
        16,384 cells on each row."""
        number = last_filled = 0
        limits = self.limits
        keep = width if width is not None else limits.max_columns + 1
        try:
            for number, row in enumerate(self.sheet.iter_rows(max_col=keep), 1):
                if number > limits.max_rows:
                    raise TableReadError(TOO_MANY_ROWS, row=number, limit=str(limits.max_rows))
                cells: list[str] = []
                formulas: list[int] = []
                for position, cell in enumerate(row):
                    value = cell.value
                    if value is None:
                        cells.append("")
                    elif cell.data_type == "f":
                        formulas.append(position)
                        cells.append(str(value))
                    else:
                        cells.append(restore(cell_text(value)))
                if formulas or any(cell.strip() for cell in cells):
                    last_filled = number
                    yield number, cells, tuple(formulas)
                elif number - last_filled > limits.max_blank_run:
                    raise blank_run_error(last_filled, number)
        except (ParseError, zipfile.BadZipFile, zlib.error, OSError, KeyError, EOFError) as error:
            raise TableReadError(SHEET_BROKEN, row=number + 1) from error


class Table(Protocol):
    """A table of a bundle, whatever holds it: a CSV file, an .xlsx sheet
    (`SheetTable`), an .ods sheet (`opendocument.OdsTable`)."""

    @property
    def spec(self) -> TableSpec: ...

    @property
    def where(self) -> str: ...

    @property
    def limits(self) -> ReadLimits: ...

    def rows(self, width: int | None = None) -> Generator[RawRow, None, None]: ...
