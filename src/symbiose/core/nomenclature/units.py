"""Units of measure through pint: no hand-written conversion table.

INTERFACE (implemented by the nomenclature work; other modules rely on exactly this):

    def unit_normalize(text: str) -> str
        The canonical spelling stored and exported for a unit a facilitator typed, French or
        English, any case: "t", "tonnes", "tonne" -> "t"; "kg"; "L", "l", "litres" -> "L";
        "m3", "m³" -> "m3"; "MWh", "kWh", "GJ"; "h", "heures" -> "h"; "jour", "jours", "day"
        -> "day"; "m2", "m²" -> "m2"; "ha"; counts: "unit" ("u", "unité", "pièce"),
        "person" ("personne"), "job" ("poste"), "FTE" ("ETP"), "place". Unknown ->
        UnknownUnitError(value=text, suggestions=...) with the nearest known spellings.

    def unit_dimension(unit: str) -> str
        "mass", "volume", "energy", "time", "area", "count" ... of a canonical unit.

    def quantity_convert(value: float, from_unit: str, to_unit: str) -> float
        Through pint; raises UnknownUnitError, or SymbioseError for incompatible dimensions.
"""

from __future__ import annotations

import math
import pickle
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import pint

from symbiose.core.errors import SymbioseError, UnknownUnitError
from symbiose.core.nomenclature._nearest import nearest
from symbiose.core.nomenclature._tables import read_text

SUGGESTIONS = 5


@dataclass(frozen=True, slots=True)
class _Canonical:
    spelling: str  # stored and exported
    expression: str  # how pint reads it, unambiguously ("kt" alone would be a knot)
    dimension: str


_CANONICAL = (
    _Canonical("t", "tonne", "mass"),
    _Canonical("kt", "kilotonne", "mass"),
    _Canonical("kg", "kilogram", "mass"),
    _Canonical("g", "gram", "mass"),
    _Canonical("L", "liter", "volume"),
    _Canonical("hL", "hectoliter", "volume"),
    _Canonical("m3", "meter ** 3", "volume"),
    _Canonical("m2", "meter ** 2", "area"),
    _Canonical("ha", "hectare", "area"),
    _Canonical("km2", "kilometer ** 2", "area"),
    _Canonical("m", "meter", "length"),
    _Canonical("km", "kilometer", "length"),
    _Canonical("kWh", "kilowatt_hour", "energy"),
    _Canonical("MWh", "megawatt_hour", "energy"),
    _Canonical("GWh", "gigawatt_hour", "energy"),
    _Canonical("MJ", "megajoule", "energy"),
    _Canonical("GJ", "gigajoule", "energy"),
    _Canonical("toe", "tonne_of_oil_equivalent", "energy"),
    _Canonical("kW", "kilowatt", "power"),
    _Canonical("MW", "megawatt", "power"),
    _Canonical("min", "minute", "time"),
    _Canonical("h", "hour", "time"),
    _Canonical("day", "day", "time"),
    _Canonical("week", "week", "time"),
    _Canonical("month", "month", "time"),
    _Canonical("year", "year", "time"),
    _Canonical("unit", "unit", "count"),
    _Canonical("person", "person", "count"),
    _Canonical("job", "job", "count"),
    _Canonical("FTE", "full_time_equivalent", "count"),
    _Canonical("place", "place", "count"),
)
_BY_SPELLING = {unit.spelling: unit for unit in _CANONICAL}

# Matched without regard to case before pint sees the text, so that "T" is a tonne and not
# a tesla, "mwh" a megawatt-hour. The last three are what pint reads as other units
# (atomic mass unit, parsec) but what people write for pieces.
_CASE_FOLDED = {unit.spelling.lower(): unit.spelling for unit in _CANONICAL} | {
    "u": "unit",
    "pc": "unit",
    "pcs": "unit",
}

# Spellings refused although pint reads them, because people mean different things by them;
# with what they most likely meant. "mt": metric ton in trade, megatonne in statistics,
# millitonne (= kg) to pint. "ton": a short ton (907 kg) to pint. "a": a year to pint, an
# are (100 m2) in French.
_AMBIGUOUS = {
    "mt": ("t", "kt"),
    "ton": ("t",),
    "tons": ("t",),
    "a": ("year", "ha"),
}

# English words, for suggestions only (pint parses them by itself).
_SUGGESTED_WORDS = (
    "tonne", "kilogram", "gram", "litre", "liter", "hectolitre", "hectare", "metre", "meter",
    "kilometre", "kilometer", "hour", "minute", "day", "week", "month", "year", "units",
    "persons", "jobs", "places",
)  # fmt: skip

# What is handed to pint: one to three unit words, each with an optional power 2 or 3.
# pint's own parser is a Python tokenizer and fails in odd ways on arbitrary text.
_WORD = r"(?:square |cubic )?[A-Za-z_µμ]+(?: ?(?:\*\*|\^) ?[23])?"
_PINT_SAFE = re.compile(rf"{_WORD}(?:[* ]{_WORD}){{0,2}}")


@cache
def _registry() -> Any:
    """pint's defaults plus the project's definitions (counts, French names), built once.

    Typed Any: pint's own annotations of its dynamic registry are not usable by mypy.
    """
    registry: Any = _default_registry()
    registry.load_definitions(read_text("units.txt").splitlines())
    return registry


def _default_registry() -> Any:
    """pint's defaults, parsed from pint's own disk cache in the user's cache folder when
    it holds them (a tenth of the 0.3 s a parse takes: a command on a region feels it).
    pint writes that cache in place: a file another process is writing, or a folder that
    cannot be written, and the defaults are parsed as without a cache."""
    try:
        return pint.UnitRegistry(on_redefinition="raise", cache_folder=":auto:")
    except (OSError, EOFError, pickle.UnpicklingError):
        return pint.UnitRegistry(on_redefinition="raise")


@cache
def _canonical_units() -> tuple[tuple[str, Any], ...]:
    registry = _registry()
    return tuple((unit.spelling, registry.Unit(unit.expression)) for unit in _CANONICAL)


def canonical_units() -> tuple[str, ...]:
    """Every spelling unit_normalize can return, grouped by dimension (for choice lists)."""
    return tuple(unit.spelling for unit in _CANONICAL)


def _fold(text: str) -> str:
    """Accents and superscripts folded ("m³" -> "m3", "unité" -> "unite"), spaces tidied,
    a trailing abbreviation dot dropped ("pers.")."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_ish = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", ascii_ish).strip().rstrip(".").strip()


def _expression(folded: str) -> str:
    """French word order and digit powers into pint syntax: "metres carres" -> "metres**2",
    "km2" -> "km**2", "kW.h" -> "kW*h"."""
    text = re.sub(r"\b(\w+) carre{1,2}s?\b", r"\1**2", folded, flags=re.IGNORECASE)
    text = re.sub(r"\b(\w+) cubes?\b", r"\1**3", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<=[A-Za-z])([23])\b", r"**\1", text)
    return re.sub(r"(?<=[A-Za-z])[.·](?=[A-Za-z])", "*", text)


def _parse(expression: str) -> Any | None:
    """The pint unit for `expression`, or None when pint does not know it."""
    try:
        return _registry().parse_units(expression)
    except (pint.errors.PintError, ValueError):
        return None


def _canonical_of(unit: Any) -> str | None:
    """The canonical spelling of a parsed unit: the one equal to it (same dimension and a
    factor of one, so that "kW*h" is "kWh" and "Mg" is "t")."""
    registry = _registry()
    for spelling, canonical in _canonical_units():
        if unit.dimensionality != canonical.dimensionality:
            continue
        factor = registry.Quantity(1.0, unit).to(canonical).magnitude
        if math.isclose(factor, 1.0, rel_tol=1e-9):
            return spelling
    return None


def _resolve(text: str) -> str | None:
    folded = _fold(text)
    key = folded.lower().replace(" ", "")
    if key in _AMBIGUOUS:
        return None
    known = _CASE_FOLDED.get(key)
    if known is not None:
        return known
    expression = _expression(folded)
    if not _PINT_SAFE.fullmatch(expression):
        return None
    lower = expression.lower()
    for variant in dict.fromkeys((expression, lower, lower.replace(" ", "_"))):
        unit = _parse(variant)
        if unit is not None:
            # Known to pint as some other unit ("Mt", "ton" = short ton): never guess on.
            return _canonical_of(unit)
    return None


@lru_cache(maxsize=4096)
def unit_normalize(text: str) -> str:
    """The canonical spelling of a unit typed in French or English, in any case.

    Case is tried as typed first, then in lower case only when pint knows no unit by the
    typed spelling, because a prefix changes with case ("Mt" is a megatonne, "mt" a kg).
    """
    canonical = _resolve(text)
    if canonical is None:
        raise UnknownUnitError(value=text, suggestions=_suggestions(text))
    return canonical


@cache
def _vocabulary() -> dict[str, str]:
    """Spellings people may have tried to type, lower-cased, with their canonical unit."""
    words = [unit.spelling for unit in _CANONICAL]
    words += re.findall(r"[A-Za-z_]+", re.sub(r"(?m)#.*$|\[\w+\]", "", read_text("units.txt")))
    words += _SUGGESTED_WORDS
    vocabulary: dict[str, str] = {}
    for word in words:
        canonical = _resolve(word)
        if canonical is not None:
            vocabulary.setdefault(word.lower(), canonical)
    return vocabulary


def _suggestions(text: str) -> tuple[str, ...]:
    query = _fold(text).lower()
    if query.replace(" ", "") in _AMBIGUOUS:
        return _AMBIGUOUS[query.replace(" ", "")]
    vocabulary = _vocabulary()
    edits = max(1, len(query) // 3)
    near = nearest(query, list(vocabulary), limit=len(vocabulary), max_edits=edits)
    return tuple(dict.fromkeys(vocabulary[word] for word in near))[:SUGGESTIONS]


def unit_dimension(unit: str) -> str:
    """What a quantity in `unit` measures: "mass", "volume", "area", "length", "energy",
    "power", "time" or "count" (persons, jobs, FTE, places and units are all counts, yet
    never convert into one another)."""
    return _BY_SPELLING[unit_normalize(unit)].dimension


def quantity_convert(value: float, from_unit: str, to_unit: str) -> float:
    """`value` in `from_unit` expressed in `to_unit`; both spellings go through unit_normalize.

    The factor comes from pint, once per pair; multiplying by it is right for these units
    because none has an offset (no temperatures). It is rounded to 15 significant digits,
    the precision of a float, so that pint's binary noise does not show: 1 m3 is 1000 L,
    not 999.9999999999999 L.
    """
    return value * _factor(unit_normalize(from_unit), unit_normalize(to_unit))


@cache
def _factor(source: str, target: str) -> float:
    registry = _registry()
    try:
        quantity = registry.Quantity(1.0, _BY_SPELLING[source].expression)
        factor = float(quantity.to(_BY_SPELLING[target].expression).magnitude)
    except pint.DimensionalityError as error:
        raise SymbioseError(
            f"cannot convert {source} ({unit_dimension(source)}) "
            f"to {target} ({unit_dimension(target)})"
        ) from error
    return float(f"{factor:.15g}")
