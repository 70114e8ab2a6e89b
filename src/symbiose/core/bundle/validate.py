"""One row of a bundle table -> one record, or the located problems that prevent it.

Each check here looks at a single row; the checks that need the whole bundle (duplicate
ids, references to actors) are the reader's. A row reports every problem it has, not the
first only, so a facilitator fixes a spreadsheet in one go.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from symbiose.core.bundle.codes import ewc_code, naf_code, unit_code
from symbiose.core.bundle.columns import ColumnMap
from symbiose.core.bundle.lengths import FIELD_LENGTHS, TOO_LONG, shortened
from symbiose.core.bundle.problems import Problem
from symbiose.core.bundle.records import (
    ACTOR_KINDS,
    CONFIDENTIALITIES,
    DIRECTIONS,
    ENGAGEMENTS,
    PERIODS,
    RESOURCE_KINDS,
    SYNERGY_TYPES,
    ActorRecord,
    ResourceRecord,
    SynergyRecord,
)
from symbiose.core.bundle.values import (
    ValueIssue,
    parse_choice,
    parse_decimal,
    parse_siret,
    parse_whole,
    parse_year,
)
from symbiose.core.bundle.vocabulary import (
    ACTOR_KIND_WORDS,
    CONFIDENTIALITY_WORDS,
    DIRECTION_WORDS,
    ENGAGEMENT_WORDS,
    PERIOD_WORDS,
    RESOURCE_KIND_WORDS,
    SYNERGY_TYPE_WORDS,
)
from symbiose.core.i18n import gettext_noop

FORMULA = gettext_noop("cell contains a formula; paste values instead")
REQUIRED = gettext_noop("a value is required here")
NEGATIVE = gettext_noop("“%(value)s” is negative; it must be 0 or more")
OUT_OF_RANGE = gettext_noop("“%(value)s” is out of range: it must be between %(low)s and %(high)s")
NUL_CHARACTER = gettext_noop("cell contains a NUL character (\\0), which no database keeps; "
                             "re-save the file as plain text")
ONE_COORDINATE = gettext_noop("give both latitude and longitude, or neither")
NO_ACTORS = gettext_noop("no actor given: fill actor_ids (ids separated by “;”)")

ZERO = Decimal(0)
# No flow of a territory, in any unit, and no annual cost in euros is above this. A cell
# beyond it is a typo (a pasted identifier, "1e30"), and it would overflow the database's
# decimal columns: SQLite keeps them as floats of 15 significant digits.
AMOUNT_MAX = Decimal(10**12)


class Row:
    """A data row being validated: cells by field, and the problems found so far."""

    __slots__ = ("columns", "decimal_comma", "failed", "number", "problems", "values", "where")

    def __init__(self, where: str, number: int, cells: list[str], columns: ColumnMap,
                 formulas: tuple[int, ...] = (), *, decimal_comma: bool = False) -> None:
        self.where = where
        self.number = number
        self.columns = columns
        self.decimal_comma = decimal_comma
        size = len(cells)
        self.values = {name: cells[position].strip()
                       for name, position in columns.index.items() if position < size}
        self.problems: list[Problem] = []
        self.failed: set[str] = set()
        for position in formulas:
            name = columns.by_position.get(position)
            if name is not None:
                self.fail(name, FORMULA, cells[position])
        for name, value in self.values.items():
            if "\x00" in value and name not in self.failed:
                self.fail(name, NUL_CHARACTER, value.replace("\x00", "\\0"))

    def text(self, name: str) -> str:
        """The cell of a field, stripped; "" when absent or already refused."""
        return self.values.get(name, "")

    def fail(self, name: str, message: str, shown: str, /, **params: str) -> None:
        """Refuse the field's cell: `shown` is the cell as written, `params` the message's.
        The field then reads as empty, so no second problem is said about it."""
        self.failed.add(name)
        self.values[name] = ""
        column = self.columns.headers.get(name, name)
        self.problems.append(Problem(self.where, message, self.number, column, shown, params))

    def issue(self, name: str, issue: ValueIssue) -> None:
        self.fail(name, issue.message, issue.params.get("value", self.text(name)),
                  **issue.params)


def within_lengths(row: Row, table: str) -> None:
    """Refuse each cell longer than the database column that stores it (`lengths`)."""
    for name, limit in FIELD_LENGTHS[table].items():
        text = row.values.get(name, "")
        if len(text) > limit and name not in row.failed:
            row.fail(name, TOO_LONG, shortened(text), length=str(len(text)),
                     limit=str(limit))


def required(row: Row, name: str) -> str:
    value = row.text(name)
    if not value and name not in row.failed:
        row.fail(name, REQUIRED, "")
    return value


def number(row: Row, name: str, *, low: Decimal | None = ZERO,
           high: Decimal | None = None) -> Decimal | None:
    """An optional number; `low`/`high` bound it (a quantity or a cost is never negative)."""
    text = row.text(name)
    if not text:
        return None
    try:
        value = parse_decimal(text, decimal_comma=row.decimal_comma)
    except ValueIssue as issue:
        row.issue(name, issue)
        return None
    if low == ZERO and value < ZERO:  # the plainer message for a quantity or a cost
        row.fail(name, NEGATIVE, text, value=text)
        return None
    if high is not None and low is not None and not low <= value <= high:
        row.fail(name, OUT_OF_RANGE, text, value=text, low=_readable(low),
                 high=_readable(high))
        return None
    if low is not None and value < low:
        row.fail(name, NEGATIVE, text, value=text)
        return None
    return value


def _readable(bound: Decimal) -> str:
    """A bound as a person reads it: "1 000 000 000 000", "-90"."""
    return f"{bound:,}".replace(",", "\u202f") if abs(bound) >= 10_000 else str(bound)


def choice(row: Row, name: str, words: Mapping[str, str], allowed: tuple[str, ...],
           default: str = "") -> str:
    text = row.text(name)
    if not text:
        return default
    try:
        return parse_choice(text, words, allowed)
    except ValueIssue as issue:
        row.issue(name, issue)
        return default


def converted(row: Row, name: str, convert: Callable[[str], str]) -> str:
    """A code or a unit through its nomenclature; "" when empty or refused."""
    text = row.text(name)
    if not text:
        return ""
    try:
        return convert(text)
    except ValueIssue as issue:
        row.issue(name, issue)
        return ""


def whole(row: Row, name: str, parse: Callable[[str], int]) -> int | None:
    text = row.text(name)
    if not text:
        return None
    try:
        return parse(text)
    except ValueIssue as issue:
        row.issue(name, issue)
        return None


def siret(row: Row) -> str:
    text = row.text("siret")
    if not text:
        return ""
    try:
        return parse_siret(text)
    except ValueIssue as issue:
        row.issue("siret", issue)
        return ""


LAT = (Decimal(-90), Decimal(90))
LON = (Decimal(-180), Decimal(180))


def actor_from_row(row: Row) -> ActorRecord | None:
    """The actor of a row of actors.csv, or None with `row.problems` said."""
    within_lengths(row, "actors")
    actor_id, name = required(row, "id"), required(row, "name")
    naf = converted(row, "naf", naf_code)
    kind = choice(row, "kind", ACTOR_KIND_WORDS, ACTOR_KINDS)
    lat = number(row, "lat", low=LAT[0], high=LAT[1])
    lon = number(row, "lon", low=LON[0], high=LON[1])
    for present, absent in (("lat", "lon"), ("lon", "lat")):
        if row.text(present) and not row.text(absent) and absent not in row.failed:
            row.fail(absent, ONE_COORDINATE, "")
    employees = whole(row, "employees", lambda text: parse_whole(
        text, decimal_comma=row.decimal_comma))
    number_siret = siret(row)
    engagement = choice(row, "engagement", ENGAGEMENT_WORDS, ENGAGEMENTS)
    if row.problems:
        return None
    return ActorRecord(
        id=actor_id, name=name, naf=naf, kind=kind, lat=lat, lon=lon,
        commune=row.text("commune"), zone=row.text("zone"), employees=employees,
        siret=number_siret, address=row.text("address"), engagement=engagement,
    )


# (actor_id, direction, label, year, row number) -> the id of a row that gives none
DeriveId = Callable[[str, str, str, int, int], str]


def resource_from_row(row: Row, *, default_year: int,
                      derive: DeriveId | None = None) -> ResourceRecord | None:
    """The resource of a row of resources.csv, or None with `row.problems` said. A row
    without an id gets `derive(...)`, or "" without `derive`."""
    within_lengths(row, "resources")
    actor_id = required(row, "actor_id")
    direction = choice(row, "direction", DIRECTION_WORDS, DIRECTIONS)
    if not direction and "direction" not in row.failed:
        row.fail("direction", REQUIRED, "")
    label = required(row, "label")
    kind = choice(row, "kind", RESOURCE_KIND_WORDS, RESOURCE_KINDS)
    ewc = converted(row, "ewc", ewc_code)
    quantity = number(row, "quantity", high=AMOUNT_MAX)
    unit = converted(row, "unit", unit_code)
    period = choice(row, "period", PERIOD_WORDS, PERIODS, "year")
    cost = number(row, "cost_eur", high=AMOUNT_MAX)
    confidentiality = choice(row, "confidentiality", CONFIDENTIALITY_WORDS, CONFIDENTIALITIES,
                             "private")
    year = whole(row, "year", parse_year)
    if row.problems:
        return None
    year = default_year if year is None else year
    resource_id = row.text("id")
    if not resource_id and derive is not None:
        resource_id = derive(actor_id, direction, label, year, row.number)
    return ResourceRecord(
        id=resource_id, actor_id=actor_id, direction=direction, label=label,
        year=year, kind=kind, ewc=ewc, quantity=quantity,
        unit=unit, period=period, cost_eur=cost, confidentiality=confidentiality,
        resource_class=row.text("resource_class"), notes=row.text("notes"),
    )


def synergy_from_row(row: Row) -> SynergyRecord | None:
    """The synergy of a row of synergies.csv, or None with `row.problems` said."""
    within_lengths(row, "synergies")
    kind = choice(row, "type", SYNERGY_TYPE_WORDS, SYNERGY_TYPES)
    if not kind and "type" not in row.failed:
        row.fail("type", REQUIRED, "")
    resource = required(row, "resource")
    supplier, receiver = row.text("supplier_id"), row.text("receiver_id")
    listed = (part.strip() for part in row.text("actor_ids").split(";"))
    actor_ids = tuple(dict.fromkeys(part for part in listed if part))
    if not actor_ids:
        actor_ids = tuple(dict.fromkeys(a for a in (supplier, receiver) if a))
    if not actor_ids and "actor_ids" not in row.failed:
        row.fail("actor_ids", NO_ACTORS, "")
    score = number(row, "score", low=ZERO, high=Decimal(1))
    distance = number(row, "distance_km")
    quantity = number(row, "quantity", high=AMOUNT_MAX)
    unit = converted(row, "unit", unit_code)
    co2e = number(row, "co2e_avoided_t", low=None)
    saved = number(row, "eur_saved", low=None)
    if row.problems:
        return None
    return SynergyRecord(
        type=kind, actor_ids=actor_ids, resource=resource, supplier_id=supplier,
        receiver_id=receiver, score=score, distance_km=distance, quantity=quantity, unit=unit,
        co2e_avoided_t=co2e, eur_saved=saved, explanation=row.text("explanation"),
    )
