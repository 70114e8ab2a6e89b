"""Reading a bundle: one streaming pass that finds every problem, then record passes.

`check()` goes over every table once and keeps only what cross-row checks need (actor
ids, resource keys on disk, counts, the first problems), so a 50 MB file keeps memory
flat. The record iterators stream again from the start: the import writes only a bundle
that `check()` found clean, and writes it without ever holding it whole.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import numpy as np
from numpy.typing import NDArray

from symbiose.core.bundle.columns import TABLES, ColumnMap, map_columns
from symbiose.core.bundle.keys import KeyRegistry, derived_id
from symbiose.core.bundle.limits import COMMAND_LIMITS, ReadLimits
from symbiose.core.bundle.problems import Notice, Problem
from symbiose.core.bundle.records import ActorRecord, ResourceRecord, SynergyRecord
from symbiose.core.bundle.sources import open_source
from symbiose.core.bundle.tables import CsvTable, Table, TableReadError
from symbiose.core.bundle.validate import (
    Row,
    actor_from_row,
    resource_from_row,
    synergy_from_row,
)
from symbiose.core.bundle.values import ValueIssue, decimal_evidence, fold, parse_year
from symbiose.core.bundle.vocabulary import DIRECTION_WORDS
from symbiose.core.i18n import gettext_noop

# Per table, the data rows proven clean (see `BundleReader.check`).
Trusted = Sequence[bool] | NDArray[np.bool_]

PROBLEMS_KEPT = 1000
HEADER_SEARCH = 10
DECIMAL_SAMPLE = 1000
PROGRESS_EVERY = 1000

EMPTY = gettext_noop("the file is empty")
HEADER_ONLY = gettext_noop("there are no rows under the header row")
MISSING_COLUMN = gettext_noop("missing column “%(column)s” (accepted headers: %(aliases)s)")
IGNORED_COLUMN = gettext_noop("ignored column “%(column)s”: not a bundle column")
IGNORED_COLUMNS = gettext_noop(
    "%(count)s columns ignored, not bundle columns: %(columns)s"
)
COLUMNS_NAMED = 10
TOO_WIDE = gettext_noop(
    "the header row has more than %(limit)s columns; a bundle table needs about fifteen"
)
REPEATED_COLUMN = gettext_noop("ignored column “%(column)s”: “%(first)s” already gives it")
NO_ACTORS_TABLE = gettext_noop(
    "no actors table (actors.csv or a sheet named actors), and the territory has no actors yet"
)
DUPLICATE_ACTOR = gettext_noop("actor id “%(value)s” is already used on row %(first)s")
DUPLICATE_RESOURCE = gettext_noop(
    "resource id “%(value)s” is already used for %(year)s on row %(first)s"
)
DERIVED_RESOURCE = gettext_noop(
    "resource id “%(value)s” is the id derived for row %(first)s, which gives none (from "
    "its actor, direction and label): rows %(first)s and %(row)s would share it; give one "
    "of them another id"
)
UNKNOWN_ACTOR = gettext_noop(
    "unknown actor “%(value)s”: not in the actors table nor in the territory"
)
READ_AS = gettext_noop("read as %(encoding)s, separator %(separator)s")
READ_AS_COMMA = gettext_noop("read as %(encoding)s, separator %(separator)s, decimal comma")
READ_AS_POINT = gettext_noop("read as %(encoding)s, separator %(separator)s, decimal point")
SEPARATOR_NAMES = {",": "“,”", ";": "“;”", "\t": "tab", "|": "“|”"}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What `check()` found: every problem (the first `PROBLEMS_KEPT` kept, all counted in
    `problem_total`), the data rows per table, and how the files were read."""

    problems: list[Problem]
    problem_total: int
    counts: dict[str, int]
    notices: list[Notice]

    @property
    def ok(self) -> bool:
        return self.problem_total == 0


@dataclass(slots=True)
class _Collector:
    kept: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.kept) < PROBLEMS_KEPT:
            self.kept.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where a table's header is, what its columns are, and its decimal mark."""

    header_row: int | None = None
    columns: ColumnMap | None = None
    decimal_comma: bool = False
    width: int | None = None  # cells read per data row: up to the header's last one
    problems: tuple[Problem, ...] = ()
    notices: tuple[Notice, ...] = ()

    @property
    def usable(self) -> bool:
        return self.columns is not None and not self.columns.missing and not self.problems


def _find_header(table: Table, rows: Iterator[tuple[int, list[str], tuple[int, ...]]]
                 ) -> tuple[int, ColumnMap] | None:
    """The first of the first rows that has every required column, else the first row:
    a title line above the header is common in workbooks."""
    first: tuple[int, ColumnMap] | None = None
    for count, (number, cells, _) in enumerate(rows):
        columns = map_columns(table.spec, cells)
        if not columns.missing:
            return number, columns
        first = first or (number, columns)
        if count + 1 >= HEADER_SEARCH:
            break
    return first


def _ignored_notices(where: str, unknown: tuple[str, ...]) -> list[Notice]:
    """One notice per ignored column, or one for them all when there are many: a header
    of 100,000 columns must not make a page of 100,000 lines."""
    if len(unknown) <= 1:
        return [Notice(where, IGNORED_COLUMN, {"column": c}) for c in unknown]
    named = ", ".join(f"“{c}”" for c in unknown[:COLUMNS_NAMED])
    return [Notice(where, IGNORED_COLUMNS, {
        "count": str(len(unknown)),
        "columns": named + (", …" if len(unknown) > COLUMNS_NAMED else "")})]


def _layout(table: Table) -> _Layout:
    """Read the head of a table: header, columns, decimal mark; problems if unusable."""
    where = table.where
    evidence, data_rows = 0, 0
    found: tuple[int, ColumnMap] | None = None
    widest = 0
    with closing(table.rows()) as rows:
        try:
            found = _find_header(table, rows)
            if found is not None:
                header_row, columns = found
                widest = columns.width
                numeric = [columns.index[n] for n in table.spec.numeric if n in columns.index]
                for number, cells, _ in rows:
                    if number <= header_row:
                        continue
                    data_rows += 1
                    evidence += sum(decimal_evidence(cells[i]) for i in numeric if i < len(cells))
                    if data_rows >= DECIMAL_SAMPLE:
                        break
        except TableReadError:
            data_rows = max(data_rows, 1)  # the pass itself will say where it broke
    if found is None:
        return _Layout(problems=(Problem(where, EMPTY),))
    problems = [
        Problem(where, MISSING_COLUMN, header_row, name, params={
            "column": name, "aliases": ", ".join(table.spec.accepted(name))})
        for name in columns.missing
    ]
    too_wide = widest > table.limits.max_columns
    if too_wide:
        problems = [Problem(where, TOO_WIDE, header_row, params={
            "limit": str(table.limits.max_columns)})]
    if not data_rows and not problems:
        problems.append(Problem(where, HEADER_ONLY, header_row))
    # A header refused as too wide: its columns are not worth listing.
    notices = [] if too_wide else _ignored_notices(where, columns.unknown)
    notices += [Notice(where, REPEATED_COLUMN, {"column": c, "first": f})
                for c, f in columns.repeated]
    if isinstance(table, CsvTable):
        message = READ_AS if not evidence else READ_AS_COMMA if evidence > 0 else READ_AS_POINT
        notices.insert(0, Notice(where, message, {
            "encoding": table.dialect.label,
            "separator": SEPARATOR_NAMES.get(table.dialect.delimiter, table.dialect.delimiter)}))
    return _Layout(header_row, columns, evidence > 0, max(widest, 1), tuple(problems),
                   tuple(notices))


class BundleReader:
    """A bundle opened for reading; see the package docstring for the contract."""

    def __init__(self, path: Path, *, default_year: int, known_actor_ids: Iterable[str] = (),
                 limits: ReadLimits = COMMAND_LIMITS):
        self.path = path
        self.default_year = default_year
        self.known_actor_ids = frozenset(known_actor_ids)
        self.limits = limits
        self._source = open_source(path, limits)
        self._layouts: dict[str, _Layout] = {}

    def __enter__(self) -> BundleReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._source.close()

    def _layout(self, name: str) -> _Layout | None:
        table = self._source.tables.get(name)
        if table is None:
            return None
        if name not in self._layouts:
            self._layouts[name] = _layout(table)
        return self._layouts[name]

    def _rows(self, name: str) -> Iterator[Row]:
        """The data rows of a usable table; TableReadError if it breaks midway."""
        layout = self._layout(name)
        table = self._source.tables.get(name)
        if table is None or layout is None or not layout.usable:
            return
        columns, header_row = layout.columns, layout.header_row
        assert columns is not None
        assert header_row is not None
        with closing(table.rows(layout.width)) as rows:
            for number, cells, formulas in rows:
                if number > header_row:
                    yield Row(table.where, number, cells, columns, formulas,
                              decimal_comma=layout.decimal_comma)

    def actors(self) -> Iterator[ActorRecord]:
        for row in self._rows("actors"):
            record = actor_from_row(row)
            if record is not None:
                yield record

    def resources(self) -> Iterator[ResourceRecord]:
        with KeyRegistry() as keys:

            def derive(actor_id: str, direction: str, label: str, year: int, row: int) -> str:
                return keys.derive(derived_id(actor_id, direction, label), year, row)

            for row in self._rows("resources"):
                record = resource_from_row(row, default_year=self.default_year, derive=derive)
                if record is None:
                    continue
                if row.values.get("id"):
                    keys.claim(record.id, record.year, row.number)
                yield record

    def synergies(self) -> Iterator[SynergyRecord]:
        for row in self._rows("synergies"):
            record = synergy_from_row(row)
            if record is not None:
                yield record

    def check(self, progress: Callable[[int], None] | None = None,
              trusted: Mapping[str, Trusted] | None = None) -> CheckResult:
        """Every problem of the bundle. `trusted`: per table, the data rows (in file
        order) proven clean column-wise (`columnar.read_or_triage`), whose cell checks
        are skipped; the cross-row checks still see every row."""
        return _Check(self, progress, trusted or {}).run()


class _Check:
    """One check() pass; its state is what cross-row checks need, nothing more."""

    def __init__(self, reader: BundleReader, progress: Callable[[int], None] | None,
                 trusted: Mapping[str, Trusted]) -> None:
        self.reader = reader
        self.progress = progress
        self.trusted = trusted
        self.problems = _Collector()
        self.notices: list[Notice] = []
        self.counts = {spec.name: 0 for spec in TABLES}
        self.actor_rows: dict[str, int] = {}
        self.known: frozenset[str] | set[str] | None = None
        self.keys = KeyRegistry()
        self.unreported = 0

    def run(self) -> CheckResult:
        source = self.reader._source
        self.problems.extend(source.problems)
        self.notices.extend(source.notices)
        for spec in TABLES:
            layout = self.reader._layout(spec.name)
            if layout is not None:
                self.problems.extend(layout.problems)
                self.notices.extend(layout.notices)
        tables = source.tables
        if "actors" not in tables and "resources" in tables and not self.reader.known_actor_ids:
            where = self.reader.path.name or str(self.reader.path)
            self.problems.add(Problem(where, NO_ACTORS_TABLE))
        actors_layout = self.reader._layout("actors")
        check_references = (actors_layout is not None and actors_layout.usable) or (
            actors_layout is None and bool(self.reader.known_actor_ids))
        self._table("actors", self._actor)
        if check_references:
            self.known = self.reader.known_actor_ids | self.actor_rows.keys()
        with self.keys:
            self._table("resources", self._resource)
        self._table("synergies", self._synergy)
        if self.progress and self.unreported:
            self.progress(self.unreported)
        return CheckResult(self.problems.kept, self.problems.total, self.counts, self.notices)

    def _table(self, name: str, check_row: Callable[[Row, bool], None]) -> None:
        trusted = self.trusted.get(name, ())
        try:
            for row in self.reader._rows(name):
                index = self.counts[name]
                self.counts[name] += 1
                check_row(row, index < len(trusted) and bool(trusted[index]))
                self.problems.extend(row.problems)
                self.unreported += 1
                if self.progress and self.unreported >= PROGRESS_EVERY:
                    self.progress(self.unreported)
                    self.unreported = 0
        except TableReadError as error:
            where = self.reader._source.tables[name].where
            self.problems.add(Problem(where, error.message, error.row, params=error.params))

    def _reference(self, row: Row, name: str, actor_id: str) -> None:
        if actor_id and self.known is not None and actor_id not in self.known:
            row.fail(name, UNKNOWN_ACTOR, actor_id, value=actor_id)

    def _actor(self, row: Row, trusted: bool) -> None:
        if not trusted:
            actor_from_row(row)
        actor_id = row.text("id")
        if not actor_id:
            return
        first = self.actor_rows.setdefault(actor_id, row.number)
        if first != row.number:
            row.fail("id", DUPLICATE_ACTOR, actor_id, value=actor_id, first=str(first))

    def _resource(self, row: Row, trusted: bool) -> None:
        if not trusted:
            resource_from_row(row, default_year=self.reader.default_year)
            self._reference(row, "actor_id", row.text("actor_id"))
        resource_id, year_text = row.text("id"), row.text("year")
        if "id" in row.failed:
            return
        try:
            year = parse_year(year_text) if year_text else self.reader.default_year
        except ValueIssue:
            return
        if not resource_id:
            self._derive(row, year)
            return
        first = self.keys.claim(resource_id, year, row.number)
        if first is None:
            return
        if self.keys.derived(resource_id, year):
            row.fail("id", DERIVED_RESOURCE, resource_id, value=resource_id,
                     first=str(first), row=str(row.number))
        else:
            row.fail("id", DUPLICATE_RESOURCE, resource_id, value=resource_id,
                     year=str(year), first=str(first))

    def _derive(self, row: Row, year: int) -> None:
        """Take the id `resources()` will derive for a row without one, so that a row
        below giving that very id is refused here rather than by the database. Without
        an id column no row gives one, and deriving (which nearly doubles the check of
        such a bundle) is left to the import."""
        if "id" not in row.columns.index:
            return
        actor_id, label = row.text("actor_id"), row.text("label")
        direction = DIRECTION_WORDS.get(fold(row.text("direction")))
        if actor_id and label and direction:
            self.keys.derive(derived_id(actor_id, direction, label), year, row.number)

    def _synergy(self, row: Row, trusted: bool) -> None:
        synergy_from_row(row)
        for name in ("supplier_id", "receiver_id"):
            self._reference(row, name, row.text(name))
        for actor_id in dict.fromkeys(part.strip() for part in row.text("actor_ids").split(";")):
            self._reference(row, "actor_ids", actor_id)


def read_bundle(path: str | os.PathLike[str], *, default_year: int,
                known_actor_ids: Iterable[str] = (),
                limits: ReadLimits = COMMAND_LIMITS) -> BundleReader:
    """Open the bundle at `path` (a folder of CSV files, an .xlsx or .ods workbook, a .zip
    of CSV files), to be read within `limits` (see `limits.py`)."""
    return BundleReader(Path(path), default_year=default_year, known_actor_ids=known_actor_ids,
                        limits=limits)
