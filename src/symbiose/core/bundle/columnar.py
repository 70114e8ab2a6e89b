"""Reading a clean CSV bundle column-wise, for the engine on a whole region.

The row reader (`reader.py`) builds a Python object per cell and a record per row: on a
national extract of a million lines, that is most of `symbiose match`'s time. Here each
table is read by pandas' C parser as columns of text, and every cell check runs once per
*distinct* text of a column, through the very parsers the row reader uses (`values`,
`codes`, `validate`): a column of 500,000 quantities holds a few thousand distinct
texts, and a column of directions two.

This path only ever answers "clean, and here are the columns", or "not proven clean"
(`None`), or, for a bundle with bad rows, which rows are proven clean (`Triage`). Anything
it does not handle exactly as the row reader does (a workbook, a zip, a title line above
the header, a formula or a neutralised cell, a blank row, a row wider than its header)
makes it step aside, and the caller runs the row reader, which then says every problem
with its place and message, as it always has. With a triage, the row reader's check skips
its cell checks on the rows proven clean and says every problem of the others: a refusal
of a national extract takes little more than the time of a clean read.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from symbiose.core.bundle.codes import ewc_code, naf_code, unit_code
from symbiose.core.bundle.columns import TABLES, ColumnMap
from symbiose.core.bundle.keys import label_digests
from symbiose.core.bundle.lengths import FIELD_LENGTHS
from symbiose.core.bundle.reader import BundleReader, CheckResult
from symbiose.core.bundle.records import (
    ACTOR_KINDS,
    CONFIDENTIALITIES,
    DIRECTIONS,
    ENGAGEMENTS,
    PERIODS,
    RESOURCE_KINDS,
)
from symbiose.core.bundle.tables import CsvTable
from symbiose.core.bundle.validate import (
    AMOUNT_MAX,
    LAT,
    LON,
    Row,
    choice,
    converted,
    number,
    siret,
    whole,
)
from symbiose.core.bundle.values import _INTEGER, _SIMPLE, parse_whole, parse_year
from symbiose.core.bundle.vocabulary import (
    ACTOR_KIND_WORDS,
    CONFIDENTIALITY_WORDS,
    DIRECTION_WORDS,
    ENGAGEMENT_WORDS,
    PERIOD_WORDS,
    RESOURCE_KIND_WORDS,
)

# Text columns kept as NumPy arrays of Python str (dtype object): what the engine indexes.
Texts = NDArray[np.object_]


@dataclass(frozen=True, slots=True)
class ActorColumns:
    """The actors table, checked: the fields the engine reads, one array per field."""

    ids: Texts
    names: Texts
    naf: Texts  # stored form ("20.14Z"), "" when not given
    lat: NDArray[np.float64]  # NaN when not given
    lon: NDArray[np.float64]
    # What the import stores besides ("" or None when not given).
    kind: Texts
    siret: Texts
    address: Texts
    commune: Texts
    zone: Texts
    employees: NDArray[np.object_]  # int or None
    engagement: Texts


@dataclass(frozen=True, slots=True)
class ResourceColumns:
    """The resources table, checked; values normalised as `resource_from_row` does."""

    ids: Texts
    actor_id: Texts
    direction: Texts  # "out" or "in"
    label: Texts
    kind: Texts
    ewc: Texts
    quantity: NDArray[np.float64]  # as written (not yet per year), NaN when not given
    unit: Texts
    period: Texts
    cost: NDArray[np.float64]
    resource_class: Texts
    # What the import stores besides: the year (the default where not given), the exact
    # decimals as text ("" when not given; a float would round a 17-digit quantity).
    year: NDArray[np.int64]
    confidentiality: Texts
    notes: Texts
    quantity_text: Texts
    cost_text: Texts


@dataclass(frozen=True, slots=True)
class BundleColumns:
    actors: ActorColumns
    resources: ResourceColumns


@dataclass(frozen=True, slots=True)
class Triage:
    """Per table, True for each data row (in file order) proven clean, whose cell checks
    the row reader may skip; the others hold at least one problem, or may."""

    trusted: dict[str, NDArray[np.bool_]]


class _NotClean(Exception):
    """The columnar path steps aside; the row reader will say why, with places."""


def read_columns(reader: BundleReader) -> BundleColumns | None:
    """The bundle's actors and resources as columns if the bundle is clean and simple
    enough for this path to be certain of it; None otherwise (use `reader.check()`).
    Resources may name the reader's `known_actor_ids` (a territory's actors), as in
    `check()`."""
    found = read_or_triage(reader)
    return found if isinstance(found, BundleColumns) else None


def read_or_triage(reader: BundleReader) -> BundleColumns | Triage | None:
    """`read_columns`, or, when some rows are not clean, which rows are (a `Triage`)."""
    source = reader._source
    tables = source.tables
    if source.problems or set(tables) != {"actors", "resources"}:
        return None
    try:
        actor_rows = _frame(reader, "actors")
        actors = _actors(actor_rows)
        line_rows = _frame(reader, "resources")
        resources = _resources(line_rows, actors, default_year=reader.default_year,
                               known_actor_ids=reader.known_actor_ids)
    except _NotClean:
        return None
    if actor_rows.suspect.any() or line_rows.suspect.any():
        return Triage({"actors": ~actor_rows.suspect, "resources": ~line_rows.suspect})
    return BundleColumns(actors, resources)


def checked_columns(reader: BundleReader
                    ) -> tuple[CheckResult, BundleColumns] | Triage | None:
    """`read_or_triage`, with the CheckResult `reader.check()` would have returned for
    a clean bundle (no problem, its rows counted, how its files were read): an import
    then checks a clean national extract column-wise, and any other through `check()`
    (told the rows proven clean when there is a `Triage`)."""
    columns = read_or_triage(reader)
    if not isinstance(columns, BundleColumns):
        return columns
    notices = list(reader._source.notices)
    for spec in TABLES:
        layout = reader._layout(spec.name)
        if layout is not None:
            notices.extend(layout.notices)
    counts = {spec.name: 0 for spec in TABLES}
    counts.update(actors=len(columns.actors.ids), resources=len(columns.resources.ids))
    return CheckResult([], 0, counts, notices), columns


# A column as codes into its distinct texts: what every check below walks.
_Column = tuple[NDArray[np.intp], list[str]]


@dataclass(frozen=True, slots=True)
class _Frame:
    """A table's mapped fields as raw text columns, and what the row checks need."""

    where: str
    columns: ColumnMap
    decimal_comma: bool
    cells: dict[str, _Column]
    rows: int
    suspect: NDArray[np.bool_]  # rows a check refused (filled in as the checks go)
    # Each field's codes into its distinct stripped texts, once (`_distinct`).
    stripped: dict[str, _Column] = dataclasses.field(default_factory=dict)


def _refuse(frame: _Frame, rows: NDArray[np.bool_]) -> None:
    """Mark rows as holding a problem the row reader must say."""
    frame.suspect[rows] = True


def _frame(reader: BundleReader, name: str) -> _Frame:
    table = reader._source.tables[name]
    layout = reader._layout(name)
    if (not isinstance(table, CsvTable) or layout is None or not layout.usable
            or layout.header_row != 1 or layout.columns is None):
        raise _NotClean
    limits = table.limits
    # Whatever the file holds past what the C parser and the row reader agree on (odd
    # quoting, bad bytes, ragged rows) is a ParserError or a decoding error: step aside.
    try:
        with table.opener() as raw:
            frame = pd.read_csv(
                raw, sep=table.dialect.delimiter, encoding=table.dialect.encoding,
                dtype=object, keep_default_na=False, na_filter=False, header=None, skiprows=1,
                skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL, doublequote=True,
                engine="c", on_bad_lines="error",
            )
    except (ValueError, UnicodeDecodeError, OSError, pd.errors.ParserError,
            pd.errors.EmptyDataError) as error:
        raise _NotClean from error
    rows = len(frame)
    if rows == 0 or rows + 1 > limits.max_rows or frame.shape[1] > (layout.width or 0):
        raise _NotClean
    distinct = []
    for position in range(frame.shape[1]):
        codes, uniques = pd.factorize(frame.iloc[:, position].to_numpy(dtype=object))
        distinct.append((codes, list(map(str, uniques.tolist()))))
    del frame
    _plain_cells(distinct, rows, limits.max_line_chars)
    cells = {field: distinct[position] for field, position in layout.columns.index.items()
             if position < len(distinct)}
    return _Frame(table.where, layout.columns, layout.decimal_comma, cells, rows,
                  np.zeros(rows, dtype=bool))


def _plain_cells(columns: list[_Column], rows: int, max_line_chars: int) -> None:
    """Refuse what the row reader treats specially: blank rows (skipped, and counted
    against the blank-run limit), formulas and apostrophe-neutralised cells, NUL
    characters, and cells or lines near the reader's length limits (halved: quotes
    doubled in the file are not in the cells)."""
    longest_cell = csv.field_size_limit() // 2
    blank = np.ones(rows, dtype=bool)
    line = np.full(rows, 3 * len(columns), dtype=np.int64)
    for codes, uniques in columns:
        # Each test walks the distinct texts in C (map, join, find): a column of ids is
        # as long as the table. Joined on NUL, which no cell may hold: a cell starts
        # with "=" where the text or a NUL does, and holds a NUL where there are more
        # NULs than joins.
        lengths = np.fromiter(map(len, uniques), dtype=np.int64, count=len(uniques))
        joined = "\x00".join(uniques)
        if (joined.startswith(("=", "'")) or "\x00=" in joined or "\x00'" in joined
                or joined.count("\x00") > len(uniques) - 1
                or lengths.max(initial=0) > longest_cell):
            raise _NotClean
        filled = np.fromiter(map(bool, map(str.strip, uniques)), dtype=bool,
                             count=len(uniques))
        blank &= ~np.append(filled, False)[codes]
        line += np.append(lengths, 0)[codes]
    if blank.any() or (line > max_line_chars // 2).any():
        raise _NotClean


def _distinct(frame: _Frame, field: str, column: _Column) -> _Column:
    """Codes into the distinct stripped texts of a field's column (a Row strips every
    cell); worked out once per field, as several checks read it."""
    found = frame.stripped.get(field)
    if found is None:
        codes, uniques = column
        stripped = list(map(str.strip, uniques))
        if stripped == uniques or len(set(stripped)) == len(stripped):
            found = codes, stripped
        else:
            again, merged = pd.factorize(np.array(stripped, dtype=object))
            found = again[codes], list(map(str, merged.tolist()))
        frame.stripped[field] = found
    return found


def _checked(frame: _Frame, field: str, check: Callable[[str], Any], fill: Any
             ) -> NDArray[Any]:
    """`check` once per distinct text of a field, spread back over the rows; `fill` for an
    absent column or an empty cell. `check` raises _NotClean for a refused cell."""
    codes, values = _checked_distinct(frame, field, check, fill)
    return values[codes]


def _checked_distinct(frame: _Frame, field: str, check: Callable[[str], Any], fill: Any
                      ) -> tuple[NDArray[np.intp], NDArray[Any]]:
    """`_checked` before spreading: the codes of the rows, and one value per distinct."""
    column = frame.cells.get(field)
    if column is None:
        return np.zeros(frame.rows, dtype=np.intp), np.array([fill], dtype=object)
    codes, texts = _distinct(frame, field, column)
    values = np.empty(len(texts), dtype=object)
    if check is _as_written:
        # Nothing to check: the texts themselves, `fill` for the empty one.
        values[:] = texts
        values[[position for position, text in enumerate(texts) if not text]] = fill
        return codes, values
    refused = []
    for position, text in enumerate(texts):
        try:
            values[position] = check(text) if text else fill
        except _NotClean:
            values[position] = fill
            refused.append(position)
    if refused:
        _refuse(frame, np.isin(codes, refused))
    return codes, values


def _as_written(text: str) -> str:
    """The check of a free text field: none (`_checked_distinct` knows it)."""
    return text


def _single(frame: _Frame, field: str, text: str) -> Row:
    """A one-cell row of the field, for the row reader's own check of that cell."""
    columns = ColumnMap(index={field: 0}, headers={field: field})
    return Row(frame.where, 0, [text], columns, decimal_comma=frame.decimal_comma)


def _by_row(frame: _Frame, field: str, check: Callable[[Row, str], Any]) -> Callable[[str], Any]:
    """A cell check through the row validator's own function for that field (`number`,
    `choice`, `converted`...), on a row holding that cell alone."""

    def checked(text: str) -> Any:
        row = _single(frame, field, text)
        value = check(row, field)
        if row.problems:
            raise _NotClean
        return value

    return checked


def _number(frame: _Frame, field: str, low: Decimal | None, high: Decimal | None
            ) -> NDArray[np.float64]:
    return _decimal(frame, field, low, high)[0]


def _decimal(frame: _Frame, field: str, low: Decimal | None, high: Decimal | None
             ) -> tuple[NDArray[np.float64], Texts]:
    """A numeric field as floats (NaN when empty) and as exact decimal texts ("" when
    empty). A plain "12.5" strictly inside the bounds is taken at once, exactly as
    `parse_decimal`'s first branch takes it; any other text goes through
    `validate.number` itself."""
    plain = _INTEGER if frame.decimal_comma else _SIMPLE
    slow = _by_row(frame, field, lambda row, name: number(row, name, low=low, high=high))

    def check(text: str) -> Decimal | None:
        if plain.fullmatch(text):
            value = Decimal(text)
            if (low is None or value > low) and (high is None or value < high):
                return value
        found = slow(text)
        return None if found is None else Decimal(found)

    codes, values = _checked_distinct(frame, field, check, None)
    floats = np.array([float("nan") if v is None else float(v) for v in values],
                      dtype=np.float64)
    texts = np.empty(len(values), dtype=object)
    texts[:] = ["" if v is None else str(v) for v in values]
    return floats[codes], texts[codes]


def _choice(frame: _Frame, field: str, words: dict[str, str], allowed: tuple[str, ...],
            default: str = "") -> Texts:
    return _checked(frame, field, _by_row(
        frame, field, lambda row, name: choice(row, name, words, allowed, default)), default)


def _code(frame: _Frame, field: str, convert: Callable[[str], str]) -> Texts:
    return _checked(frame, field, _by_row(
        frame, field, lambda row, name: converted(row, name, convert)), "")


def _required(frame: _Frame, field: str) -> Texts:
    """A required text field: an empty cell anywhere, and the row reader must say it."""
    texts = _checked(frame, field, _as_written, "")
    _refuse(frame, texts == "")
    return texts


def _within_lengths(frame: _Frame, table: str) -> None:
    """`validate.within_lengths`, once per distinct text of each bounded field."""
    for field, limit in FIELD_LENGTHS[table].items():
        column = frame.cells.get(field)
        if column is None:
            continue
        codes, texts = _distinct(frame, field, column)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        too_long = np.flatnonzero(lengths > limit)
        if too_long.size:
            _refuse(frame, np.isin(codes, too_long))


def _actors(frame: _Frame) -> ActorColumns:
    """What `actor_from_row` and the reader's duplicate check accept, column-wise."""
    _within_lengths(frame, "actors")
    ids, names = _required(frame, "id"), _required(frame, "name")
    naf = _code(frame, "naf", naf_code)
    kind = _choice(frame, "kind", ACTOR_KIND_WORDS, ACTOR_KINDS)
    lat = _number(frame, "lat", LAT[0], LAT[1])
    lon = _number(frame, "lon", LON[0], LON[1])
    _refuse(frame, np.isnan(lat) != np.isnan(lon))  # one coordinate without the other
    employees = _checked(frame, "employees", _by_row(frame, "employees", lambda row, name: whole(
        row, name, lambda text: parse_whole(text, decimal_comma=frame.decimal_comma))), None)
    siret_number = _checked(frame, "siret",
                            _by_row(frame, "siret", lambda row, name: siret(row)), "")
    engagement = _choice(frame, "engagement", ENGAGEMENT_WORDS, ENGAGEMENTS)
    _refuse(frame, pd.Series(ids).duplicated(keep=False).to_numpy())
    address, commune, zone = (_checked(frame, field, _as_written, "")
                              for field in ("address", "commune", "zone"))
    return ActorColumns(ids, names, naf, lat, lon, kind, siret_number, address, commune, zone,
                        employees, engagement)


def _resources(frame: _Frame, actors: ActorColumns, *, default_year: int,
               known_actor_ids: frozenset[str] = frozenset()) -> ResourceColumns:
    """What `resource_from_row` and the reader's cross-row checks (known actor, unique
    id per year) accept, column-wise; ids derived as `BundleReader.resources` does."""
    _within_lengths(frame, "resources")
    actor_id = _required(frame, "actor_id")
    direction = _choice(frame, "direction", DIRECTION_WORDS, DIRECTIONS)
    _refuse(frame, direction == "")
    label = _required(frame, "label")
    kind = _choice(frame, "kind", RESOURCE_KIND_WORDS, RESOURCE_KINDS)
    ewc = _code(frame, "ewc", ewc_code)
    quantity, quantity_text = _decimal(frame, "quantity", Decimal(0), AMOUNT_MAX)
    unit = _code(frame, "unit", unit_code)
    period = _choice(frame, "period", PERIOD_WORDS, PERIODS, "year")
    cost, cost_text = _decimal(frame, "cost_eur", Decimal(0), AMOUNT_MAX)
    confidentiality = _choice(frame, "confidentiality", CONFIDENTIALITY_WORDS,
                              CONFIDENTIALITIES, "private")
    year = _checked(frame, "year", _by_row(
        frame, "year", lambda row, name: whole(row, name, parse_year)), default_year)
    ids = _checked(frame, "id", _as_written, "")
    resource_class = _checked(frame, "resource_class", _as_written, "")
    notes = _checked(frame, "notes", _as_written, "")
    known = pd.Series(actors.ids)
    if known_actor_ids:
        known = pd.concat([known, pd.Series(sorted(known_actor_ids), dtype=object)])
    _refuse(frame, ~pd.Series(actor_id).isin(known).to_numpy())
    given = ids != ""
    keys = pd.DataFrame({"id": ids[given], "year": year[given]})
    repeated = np.zeros(frame.rows, dtype=bool)
    repeated[given] = keys.duplicated(keep=False).to_numpy()
    _refuse(frame, repeated)
    if not given.all() and not frame.suspect.any():  # a bundle refused needs no ids
        ids, taken_by_derived = _derived_ids(ids, actor_id, direction, label, year)
        _refuse(frame, taken_by_derived)
    return ResourceColumns(ids, actor_id, direction, label, kind, ewc, quantity, unit, period,
                           cost, resource_class, year.astype(np.int64), confidentiality,
                           notes, quantity_text, cost_text)


def _derived_ids(ids: Texts, actor_id: Texts, direction: Texts, label: Texts,
                 year: NDArray[Any]) -> tuple[Texts, NDArray[np.bool_]]:
    """`KeyRegistry.derive` in file order: the first row of a (base, year) takes the
    base, later ones base-2, base-3..., skipping ids already taken by rows above them.
    When no base meets another in its year nor an id the bundle gives (a base ends in
    eight hex digits, a repeat in "-n", so repeats meet no other base), every row takes
    its base, which is set column-wise; otherwise the rows are walked in order. Also the
    rows that give an id a row above them derived (the check says which rows)."""
    # A label's digest once per distinct label: a region repeats "Palettes" thousands
    # of times.
    codes, labels = pd.factorize(label)
    digests = np.array([*label_digests([str(text) for text in labels]), ""], dtype=object)
    base: Texts = actor_id + "-" + direction + "-" + digests[codes]
    derived = ids == ""
    keys = pd.DataFrame({"id": np.where(derived, base, ids), "year": year})
    taken_by_derived = np.zeros(len(ids), dtype=bool)
    if not keys.duplicated().any():
        return np.where(derived, base, ids), taken_by_derived
    taken: set[tuple[str, int]] = set()
    repeats: dict[tuple[str, int], int] = {}
    out = ids.copy()
    for i, given in enumerate(ids.tolist()):
        year_i = int(year[i])
        if given:
            # Given ids repeated are refused already: one taken was derived above.
            taken_by_derived[i] = (given, year_i) in taken
            taken.add((given, year_i))
            continue
        key = base[i]
        while (key, year_i) in taken:
            n = repeats.get((base[i], year_i), 1) + 1
            repeats[(base[i], year_i)] = n
            key = f"{base[i]}-{n}"
        taken.add((key, year_i))
        out[i] = key
    return out, taken_by_derived
