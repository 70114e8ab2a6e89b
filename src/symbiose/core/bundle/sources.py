"""Opening a bundle: which files or sheets hold which table, and how each CSV was written.

A facilitator's bundle comes as a folder, a .zip or an .xlsx, saved by whatever
spreadsheet software they have; this module finds the tables in it (file and sheet names
matched in French or English, any case), detects each CSV's encoding and separator, and
streams rows as text, so the rest of the reader never cares where a row came from.
Anything it cannot open becomes a `Problem` that says what to do, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from symbiose.core.bundle.columns import TableSpec, table_for_name
from symbiose.core.bundle.limits import COMMAND_LIMITS, ReadLimits, megabytes
from symbiose.core.bundle.neutralise import restore
from symbiose.core.bundle.problems import Notice, Problem
from symbiose.core.bundle.values import format_decimal
from symbiose.core.errors import SymbioseError
from symbiose.core.i18n import gettext_noop

SAMPLE_BYTES = 1 << 20
SNIFF_CHARS = 1 << 15
DELIMITERS = ",;\t|"
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

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


@dataclass(frozen=True, slots=True)
class Dialect:
    encoding: str
    label: str
    delimiter: str


def detect_encoding(sample: bytes) -> tuple[str, str]:
    """(Python codec, name shown): a BOM decides; else the zeros of UTF-16; else UTF-8 if
    the sample decodes, else Windows-1252, what French Excel writes by default."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8 (BOM)"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "UTF-16"
    # UTF-16 without its BOM (some exports write none): a CSV is mostly ASCII, so every
    # other byte is a zero, on the odd side in little-endian, on the even side in big.
    even, odd = sample[0::2], sample[1::2]
    if len(sample) >= 8:
        if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le", "UTF-16"
        if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be", "UTF-16"
    for codec, label in (("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            codecs.getincrementaldecoder(codec)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return codec, label
    return "latin-1", "ISO-8859-1"


def detect_delimiter(text: str) -> str:
    """csv.Sniffer on a sample, checked against the header line, where a separator is
    the most frequent character among the candidates (headers rarely contain one)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and counts.get(sniffed, 0) == counts[best] and counts[best] > 0:
        return sniffed
    return best if counts[best] > 0 else ","


def detect_dialect(sample: bytes) -> Dialect:
    encoding, label = detect_encoding(sample)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    return Dialect(encoding, label, detect_delimiter(text))


DECODING = gettext_noop(
    "the file stops being readable as %(encoding)s near this row; save it again as CSV UTF-8"
)
CSV_BROKEN = gettext_noop("the file cannot be read as CSV near this row (%(detail)s)")
SHEET_BROKEN = gettext_noop("the workbook cannot be read near this row; save it again in Excel")


TOO_MANY_ROWS = gettext_noop(
    "the table goes on past row %(limit)s, more than this import reads: split it into"
    " several files (the command line reads more: symbiose import --max-rows)"
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


def _blank_run(last_filled: int, number: int) -> TableReadError:
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
                        raise _blank_run(last_filled, number)
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
                    raise _blank_run(last_filled, number)
        except (ParseError, zipfile.BadZipFile, zlib.error, OSError, KeyError, EOFError) as error:
            raise TableReadError(SHEET_BROKEN, row=number + 1) from error


Table = CsvTable | SheetTable


@dataclass(slots=True)
class Source:
    """The tables found in a bundle, with what was said while finding them."""

    tables: dict[str, Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    closers: list[Callable[[], None]] = field(default_factory=list)
    ignored: int = 0  # files that are no bundle table; the first IGNORED_LISTED are named
    limits: ReadLimits = COMMAND_LIMITS

    def close(self) -> None:
        while self.closers:
            self.closers.pop()()


NO_SUCH = gettext_noop("no file or folder named “%(name)s”")
OLD_EXCEL = gettext_noop(
    "“%(name)s” is an old Excel file (.xls): open it and save it as .xlsx (Excel workbook)"
)
OPEN_DOCUMENT = gettext_noop(
    "“%(name)s” is a LibreOffice/OpenOffice file (.ods): save it as .xlsx (Excel workbook)"
)
SINGLE_CSV = gettext_noop(
    "“%(name)s” is a single CSV file: put actors.csv and resources.csv in a folder or a .zip"
)
NOT_A_BUNDLE = gettext_noop(
    "“%(name)s” is not a bundle: give a folder of CSV files, an .xlsx workbook or a .zip"
    " of CSV files"
)
BROKEN_WORKBOOK = gettext_noop("“%(name)s” is not a readable .xlsx workbook; save it again")
BROKEN_ZIP = gettext_noop("“%(name)s” is not a readable .zip file")
UNREADABLE = gettext_noop("“%(name)s” cannot be read (%(detail)s)")
TWO_FILES = gettext_noop("two files for the %(table)s table: “%(first)s” and “%(second)s”")
IGNORED_FILE = gettext_noop("ignored “%(name)s”: not a bundle table")
MORE_IGNORED = gettext_noop("and %(count)s more files ignored: not bundle tables")
IGNORED_LISTED = 20
NO_TABLE = gettext_noop(
    "no actors or resources table found (expected actors.csv, resources.csv, or sheets"
    " named actors, resources); found: %(found)s"
)


TOO_BIG = gettext_noop(
    "“%(name)s” holds %(size)s MB once uncompressed, more than the %(limit)s MB this import"
    " reads (the command line reads more: symbiose import --max-megabytes)"
)


def _too_big(source: Source, name: str, size: int) -> bool:
    """Say so when a table (or a workbook) is larger, uncompressed, than the limit."""
    if size <= source.limits.max_bytes:
        return False
    source.problems.append(Problem(name, TOO_BIG, params={
        "name": name, "size": megabytes(size), "limit": megabytes(source.limits.max_bytes)}))
    return True


def open_source(path: Path, limits: ReadLimits = COMMAND_LIMITS) -> Source:
    """Find the tables of the bundle at `path`; problems for what cannot be opened, or
    for what is larger than `limits` allow."""
    source = Source(limits=limits)
    name = path.name or str(path)
    suffix = path.suffix.lower()
    if not path.exists():
        source.problems.append(Problem(name, NO_SUCH, params={"name": str(path)}))
    elif path.is_dir():
        _open_folder(path, source)
    elif suffix in WORKBOOK_SUFFIXES:
        _open_workbook(path, source)
    elif suffix == ".zip":
        _open_zip(path, source)
    else:
        message = {".xls": OLD_EXCEL, ".ods": OPEN_DOCUMENT}.get(suffix, NOT_A_BUNDLE)
        if suffix in CSV_SUFFIXES:
            message = SINGLE_CSV
        source.problems.append(Problem(name, message, params={"name": name}))
    return source


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$", "__MACOSX"))


def _add_csv(source: Source, name: str, opener: Callable[[], IO[bytes]], size: int) -> None:
    stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix.lower()
    spec = table_for_name(stem) if suffix in CSV_SUFFIXES else None
    if spec is None:
        source.ignored += 1
        if source.ignored <= IGNORED_LISTED:
            source.notices.append(Notice(name, IGNORED_FILE, {"name": name}))
        return
    if spec.name in source.tables:
        first = source.tables[spec.name].where
        source.problems.append(Problem(name, TWO_FILES, params={
            "table": spec.name, "first": first, "second": name}))
        return
    if _too_big(source, name, size):
        return
    with opener() as stream:
        sample = stream.read(SAMPLE_BYTES)
    source.tables[spec.name] = CsvTable(spec, name, opener, detect_dialect(sample),
                                        source.limits)


def _check_found(source: Source, found: list[str], where: str) -> None:
    # An archive of 60,000 stray files must not make a page of 60,000 lines.
    if source.ignored > IGNORED_LISTED:
        source.notices.append(Notice(where, MORE_IGNORED, {
            "count": str(source.ignored - IGNORED_LISTED)}))
    if not source.problems and not ({"actors", "resources"} & source.tables.keys()):
        shown = ", ".join(found[:IGNORED_LISTED]) + (", …" if len(found) > IGNORED_LISTED
                                                     else "")
        source.problems.append(Problem(where, NO_TABLE, params={"found": shown or "—"}))


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        return path.open("rb")

    return opener


def _open_folder(path: Path, source: Source) -> None:
    found: list[str] = []
    for entry in sorted(path.iterdir(), key=lambda p: p.name.casefold()):
        if _hidden(entry.name) or not entry.is_file():
            continue
        found.append(entry.name)
        try:
            _add_csv(source, entry.name, _file_opener(entry), entry.stat().st_size)
        except OSError as error:
            source.problems.append(Problem(entry.name, UNREADABLE, params={
                "name": entry.name, "detail": error.strerror or str(error)}))
    _check_found(source, found, path.name)


def _open_zip(path: Path, source: Source) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        source.problems.append(Problem(path.name, BROKEN_ZIP, params={"name": path.name}))
        return
    source.closers.append(archive.close)
    found: list[str] = []
    for info in sorted(archive.infolist(), key=lambda i: i.filename.casefold()):
        member = PurePosixPath(info.filename)
        if info.is_dir() or any(_hidden(part) for part in member.parts):
            continue
        found.append(member.name)
        try:
            # Named by its path in the archive: "a/actors.csv" and "actors.csv" are two.
            # The declared size bounds what zipfile will inflate (it stops there).
            _add_csv(source, info.filename, partial(archive.open, info), info.file_size)
        except (OSError, RuntimeError, zipfile.BadZipFile, zlib.error, EOFError) as error:
            source.problems.append(Problem(member.name, UNREADABLE, params={
                "name": member.name, "detail": str(error)}))
    _check_found(source, found, path.name)


IGNORED_SHEET = gettext_noop("ignored sheet “%(name)s”: not a bundle table")


def _unzipped_size(path: Path) -> int:
    """What an .xlsx (a zip of XML files) weighs once inflated; 0 when it is no zip (the
    workbook reader then says it cannot read it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return 0


def _open_workbook(path: Path, source: Source) -> None:
    if _too_big(source, path.name, _unzipped_size(path)):
        return
    try:
        book: Workbook = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError,
            ParseError, EOFError, zlib.error):
        source.problems.append(Problem(path.name, BROKEN_WORKBOOK, params={"name": path.name}))
        return
    source.closers.append(book.close)
    for title in book.sheetnames:
        spec = table_for_name(title)
        sheet = book[title]
        if spec is None or not hasattr(sheet, "iter_rows"):
            source.notices.append(Notice(title, IGNORED_SHEET, {"name": title}))
        elif spec.name in source.tables:
            source.problems.append(Problem(title, TWO_FILES, params={
                "table": spec.name, "first": source.tables[spec.name].where, "second": title}))
        else:
            # The stored dimension may be stale (files written by other tools): without
            # it, read_only mode reads every row and column actually present.
            sheet.reset_dimensions()
            source.tables[spec.name] = SheetTable(spec, title, sheet, source.limits)
    _check_found(source, list(book.sheetnames), path.name)
