"""Opening a bundle: which files or sheets hold which table.

A facilitator's bundle comes as a folder, a .zip, an .xlsx or an .ods, saved by whatever
spreadsheet software they have; this module finds the tables in it (file and sheet names
matched in French or English, any case, sizes within the read limits) and hands each to
`tables` with its dialect (`dialects`), so the rest of the reader never cares where a row
came from. Anything it cannot open becomes a `Problem` that says what to do, never a
traceback.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from symbiose.core.bundle import opendocument
from symbiose.core.bundle.columns import TableSpec, table_for_name
from symbiose.core.bundle.dialects import detect_dialect
from symbiose.core.bundle.limits import COMMAND_LIMITS, ReadLimits, megabytes
from symbiose.core.bundle.opendocument import NotASpreadsheet, OdsTable
from symbiose.core.bundle.problems import Notice, Problem
from symbiose.core.bundle.tables import CsvTable, SheetTable, Table
from symbiose.core.i18n import gettext_noop

SAMPLE_BYTES = 1 << 20
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


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
OLD_OPEN_OFFICE = gettext_noop(
    "“%(name)s” is an old OpenOffice file (.sxc): open it and save it as .ods or .xlsx"
)
SINGLE_CSV = gettext_noop(
    "“%(name)s” is a single CSV file: put actors.csv and resources.csv in a folder or a .zip"
)
NOT_A_BUNDLE = gettext_noop(
    "“%(name)s” is not a bundle: give a folder of CSV files, an .xlsx workbook, an .ods"
    " spreadsheet or a .zip of CSV files"
)
BROKEN_WORKBOOK = gettext_noop("“%(name)s” is not a readable .xlsx workbook; save it again")
BROKEN_SPREADSHEET = gettext_noop(
    "“%(name)s” is not a readable OpenDocument spreadsheet (.ods); save it again from"
    " LibreOffice Calc"
)
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
    elif suffix == opendocument.SUFFIX:
        _open_spreadsheet(path, source)
    elif suffix == ".zip":
        _open_zip(path, source)
    else:
        message = {".xls": OLD_EXCEL, ".sxc": OLD_OPEN_OFFICE}.get(suffix, NOT_A_BUNDLE)
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
    """What an .xlsx or .ods (a zip of XML files) weighs once inflated; 0 when it is no zip (the
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
        sheet = book[title]
        if not hasattr(sheet, "iter_rows"):  # a chart sheet
            source.notices.append(Notice(title, IGNORED_SHEET, {"name": title}))
        elif spec := _sheet_spec(source, title):
            # The stored dimension may be stale (files written by other tools): without
            # it, read_only mode reads every row and column actually present.
            sheet.reset_dimensions()
            source.tables[spec.name] = SheetTable(spec, title, sheet, source.limits)
    _check_found(source, list(book.sheetnames), path.name)


def _sheet_spec(source: Source, title: str) -> TableSpec | None:
    """The table a sheet holds, or None (said) when it is none or a second one."""
    spec = table_for_name(title)
    if spec is None:
        source.notices.append(Notice(title, IGNORED_SHEET, {"name": title}))
    elif spec.name in source.tables:
        source.problems.append(Problem(title, TWO_FILES, params={
            "table": spec.name, "first": source.tables[spec.name].where, "second": title}))
    else:
        return spec
    return None


def _open_spreadsheet(path: Path, source: Source) -> None:
    if _too_big(source, path.name, _unzipped_size(path)):
        return
    try:
        sheets = opendocument.open_spreadsheet(path)
    except NotASpreadsheet:
        source.problems.append(Problem(path.name, BROKEN_SPREADSHEET,
                                       params={"name": path.name}))
        return
    for title, sheet in sheets:
        if spec := _sheet_spec(source, title):
            source.tables[spec.name] = OdsTable(spec, title, sheet, source.limits)
    _check_found(source, [title for title, _ in sheets], path.name)
