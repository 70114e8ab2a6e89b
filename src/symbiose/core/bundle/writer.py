"""Writing a bundle: CSV files in a folder (or a .zip), or one .xlsx or .ods workbook.

The output is what the reader reads back to the same records, so export -> import ->
export gives the same bytes: the spec's columns first in the spec's order, then the
platform's; numbers in plain notation without trailing zeros; codes in display form.
Text that a spreadsheet would execute is neutralised (see `neutralise`).
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import IO, TypeVar

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from symbiose.core.bundle.codes import ewc_display
from symbiose.core.bundle.columns import ACTORS, RESOURCES, SYNERGIES, TableSpec
from symbiose.core.bundle.neutralise import neutralise
from symbiose.core.bundle.opendocument import write_spreadsheet
from symbiose.core.bundle.records import ActorRecord, ResourceRecord, SynergyRecord
from symbiose.core.bundle.values import format_decimal
from symbiose.core.errors import SymbioseError

T = TypeVar("T")
Record = ActorRecord | ResourceRecord | SynergyRecord
Value = str | int | Decimal | None
REFUSED_SUFFIXES = (".csv", ".tsv", ".txt", ".xls", ".xlsm")


def _values(spec: TableSpec, record: Record) -> list[Value]:
    """A record as cell values, in the table's column order."""
    values: list[Value] = []
    for name in spec.fields:
        value = getattr(record, name)
        if name == "ewc" and value:
            value = ewc_display(value)
        elif name == "actor_ids":
            value = ";".join(value)
        values.append(value)
    return values


def csv_cell(value: Value) -> str:
    """A value as its CSV cell: numbers in plain notation, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, int):
        return str(value)
    return neutralise(value)


def _xlsx_cell(value: Value) -> str | int | float | None:
    """Numbers as numeric cells, text as string cells (never formulas: `neutralise` leaves
    no text starting with "="), without the control characters xlsx cannot hold."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


def _non_empty(items: Iterable[T]) -> Iterator[T] | None:
    """The items, or None when there are none, without reading them all."""
    iterator = iter(items)
    for first in iterator:
        return chain((first,), iterator)
    return None


def _tables(actors: Iterable[ActorRecord], resources: Iterable[ResourceRecord],
            synergies: Iterable[SynergyRecord]) -> Iterator[tuple[TableSpec, Iterable[Record]]]:
    """The tables to write, in order. Actors always; resources and synergies only when
    there are some: a header without rows is refused on import."""
    yield ACTORS, actors
    optional: tuple[tuple[TableSpec, Iterable[Record]], ...] = (
        (RESOURCES, resources), (SYNERGIES, synergies))
    for spec, records in optional:
        present = _non_empty(records)
        if present is not None:
            yield spec, present


CHUNK = 10_000


def _column(spec: TableSpec, name: str, records: list[Record]) -> list[str]:
    """One column of CSV cells, as `csv_cell(_values(...))` gives them, for a chunk of
    records: the same conversion per distinct value (a score, a unit, an id repeats over
    thousands of rows), and text neutralised only when its first character calls for it."""
    values = [getattr(record, name) for record in records]
    if name == "actor_ids":
        values = [";".join(value) for value in values]
    elif name == "ewc":
        values = [ewc_display(value) if value else value for value in values]
    cells: dict[Value, str] = {}
    out = []
    for value in values:
        if isinstance(value, str):
            out.append(neutralise(value) if value[:1] in _TRIGGERS else value)
            continue
        cell = cells.get(value)
        if cell is None:
            cell = cells[value] = csv_cell(value)
        out.append(cell)
    return out


# First characters after which `neutralise` may prefix a text (see its pattern).
_TRIGGERS = frozenset("'=+-@\t\r")


def _write_csv(stream: IO[str], spec: TableSpec, records: Iterable[Record]) -> None:
    """"\n" line endings; a row with a carriage return in a cell is written fully quoted,
    as the csv module quotes only the characters of its line terminator (Python < 3.12).
    Records are converted column by column, a chunk at a time, so memory stays flat."""
    iterator = iter(records)
    _write_columns(stream, spec, (
        [_column(spec, name, chunk) for name in spec.fields]
        for chunk in iter(lambda: list(islice(iterator, CHUNK)), [])))


def _write_columns(stream: IO[str], spec: TableSpec, chunks: Iterable[list[list[str]]]
                   ) -> None:
    """The header, then each chunk's rows (a chunk given column by column), as
    `_write_csv` says. A carriage return is looked for once per column of a chunk."""
    writer = csv.writer(stream, lineterminator="\n")
    quoted = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(spec.fields)
    for columns in chunks:
        if not any("\r" in "".join(column) for column in columns):
            stream.write(minimal_rows(columns))
            continue
        for cells in zip(*columns, strict=True):
            (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)


def minimal_rows(columns: Sequence[Sequence[str]]) -> str:
    """The rows of `columns` (of two or more, no carriage return in a cell) as the csv
    module writes them with minimal quoting and "\n" line endings: the same text, a
    third of its time on a region's file (csv.writer looks at every character of every
    cell; here a column without a comma, a quote or a line feed is joined as it is)."""
    cells = [column if not _needs_quotes("".join(column)) else
             [f'"{cell.replace(chr(34), chr(34) * 2)}"' if _needs_quotes(cell) else cell
              for cell in column]
             for column in columns]
    return "".join([line + "\n" for line in map(",".join, zip(*cells, strict=True))])


def _needs_quotes(text: str) -> bool:
    return "," in text or '"' in text or "\n" in text


def text_cells(texts: Iterable[str]) -> list[str]:
    """Texts as CSV cells (`csv_cell`), neutralised only when the first character calls
    for it."""
    return [neutralise(text) if text[:1] in _TRIGGERS else text for text in texts]


def write_synergy_cells(path: str | os.PathLike[str], columns: Sequence[Sequence[str]]
                        ) -> None:
    """The synergies table from its cells, one sequence per column of `SYNERGIES.fields`
    (see `text_cells` and `csv_cell`), rows in the order given: the same bytes as
    `write_synergies_csv` of the records they come from."""
    if len(columns) != len(SYNERGIES.fields):
        raise ValueError(f"{len(columns)} columns for {len(SYNERGIES.fields)} fields")
    count = len(columns[0]) if columns else 0
    with Path(path).open("w", encoding="utf-8", newline="") as stream:
        _write_columns(stream, SYNERGIES, (
            [list(column[start:start + CHUNK]) for column in columns]
            for start in range(0, count, CHUNK)))


def _write_folder(path: Path, tables: Iterator[tuple[TableSpec, Iterable[Record]]]) -> None:
    path.mkdir(parents=True, exist_ok=True)
    written = set()
    for spec, records in tables:
        target = path / f"{spec.name}.csv"
        with target.open("w", encoding="utf-8", newline="") as stream:
            _write_csv(stream, spec, records)
        written.add(target.name)
    # A table left from an earlier export into the same folder would be read back.
    for spec in (RESOURCES, SYNERGIES):
        stale = path / f"{spec.name}.csv"
        if stale.name not in written and stale.is_file():
            stale.unlink()


def _write_zip(path: Path, tables: Iterator[tuple[TableSpec, Iterable[Record]]]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for spec, records in tables:
            with archive.open(f"{spec.name}.csv", "w") as raw, io.TextIOWrapper(
                raw, encoding="utf-8", newline=""
            ) as stream:
                _write_csv(stream, spec, records)


def _write_workbook(path: Path, tables: Iterator[tuple[TableSpec, Iterable[Record]]]) -> None:
    book = Workbook(write_only=True)
    for spec, records in tables:
        sheet = book.create_sheet(spec.name)
        sheet.append(list(spec.fields))
        for record in records:
            sheet.append([_xlsx_cell(v) for v in _values(spec, record)])
    book.save(path)


def _write_spreadsheet(path: Path,
                       tables: Iterator[tuple[TableSpec, Iterable[Record]]]) -> None:
    write_spreadsheet(path, ((spec.name, chain([list(spec.fields)], (
        [_xlsx_cell(v) for v in _values(spec, record)] for record in records)))
        for spec, records in tables))


def write_bundle(path: str | os.PathLike[str], *, actors: Iterable[ActorRecord],
                 resources: Iterable[ResourceRecord],
                 synergies: Iterable[SynergyRecord] = ()) -> None:
    """Write the records as a bundle at `path`: `.xlsx` or `.ods` a workbook, `.zip` an
    archive of CSV files, anything else a folder of CSV files (created if needed)."""
    target = Path(path)
    suffix = target.suffix.lower()
    tables = _tables(actors, resources, synergies)
    if suffix == ".xlsx":
        _write_workbook(target, tables)
    elif suffix == ".ods":
        _write_spreadsheet(target, tables)
    elif suffix == ".zip":
        _write_zip(target, tables)
    elif suffix in REFUSED_SUFFIXES and not target.is_dir():
        raise SymbioseError(
            f"cannot write a bundle as {suffix}: give a folder, an .xlsx, an .ods or a .zip"
            " path"
        )
    else:
        _write_folder(target, tables)


def write_synergies_csv(path: str | os.PathLike[str], synergies: Iterable[SynergyRecord]) -> None:
    """The synergies table alone (what `symbiose match` writes), in the order given."""
    with Path(path).open("w", encoding="utf-8", newline="") as stream:
        _write_csv(stream, SYNERGIES, synergies)
