"""NAF rév.2 (INSEE) with its NACE Rev.2 class, division and section, as packaged data.

INTERFACE (implemented by the nomenclature work; other modules rely on exactly this):

    @dataclass(frozen=True, slots=True)
    class ActivityCode:
        code: str            # stored form: a NAF sub-class "20.14Z", or a NACE class "25.62"
                             # when the input names a class that has several NAF sub-classes
        label_fr: str
        label_en: str
        nace_class: str      # "20.14"
        nace_division: str   # "20"
        nace_section: str    # "C"
        is_subclass: bool

    def naf_lookup(text: str) -> ActivityCode
        Accepts "20.14Z", "20.14z", "2014Z", "20 14 Z", "20.14", "2014". A NACE class with a
        single NAF sub-class resolves to that sub-class ("20.14" -> "20.14Z"); a class with
        several ("25.62" -> 25.62A, 25.62B) stays the class. Unknown ->
        UnknownCodeError(nomenclature="NAF", value=text, suggestions=...) with up to 5
        nearest valid codes, best first.

    def naf_codes() -> Mapping[str, ActivityCode]   # the 732 sub-classes, keyed by code
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from symbiose.core.errors import UnknownCodeError
from symbiose.core.nomenclature._nearest import nearest
from symbiose.core.nomenclature._tables import read_table

NOMENCLATURE = "NAF"
SUGGESTIONS = 5

_SEPARATORS = re.compile(r"[\s.,_\-\u2010-\u2015]+")
_SPELLING = re.compile(r"([0-9]{4})([A-Z]?)")


@dataclass(frozen=True, slots=True)
class ActivityCode:
    """An activity as precise as the source says: a NAF sub-class, or else a NACE class.

    NAF sub-classes exist in French only, so `label_en` is always the NACE Rev.2 class label.
    """

    code: str
    label_fr: str
    label_en: str
    nace_class: str
    nace_division: str
    nace_section: str
    is_subclass: bool


@dataclass(frozen=True, slots=True)
class NaceHeading:
    """A NACE Rev.2 section ("C") or division ("20"), to label groups of activities."""

    code: str
    label_fr: str
    label_en: str


@dataclass(frozen=True, slots=True)
class _Tables:
    subclasses: Mapping[str, ActivityCode]  # "20.14Z" -> sub-class
    classes: Mapping[str, ActivityCode]  # "20.14" -> its only sub-class, or the class itself
    headings: Mapping[str, NaceHeading]


@cache
def _tables() -> _Tables:
    subclasses: dict[str, ActivityCode] = {}
    by_class: dict[str, list[dict[str, str]]] = {}
    headings: dict[str, NaceHeading] = {}
    for row in read_table("naf.csv"):
        subclasses[row["naf_code"]] = ActivityCode(
            code=row["naf_code"],
            label_fr=row["label_fr"],
            label_en=row["nace_class_label_en"],
            nace_class=row["nace_class"],
            nace_division=row["nace_division"],
            nace_section=row["nace_section"],
            is_subclass=True,
        )
        by_class.setdefault(row["nace_class"], []).append(row)
        for level in ("nace_section", "nace_division"):
            headings.setdefault(
                row[level],
                NaceHeading(row[level], row[f"{level}_label_fr"], row[f"{level}_label_en"]),
            )
    classes = {
        code: subclasses[rows[0]["naf_code"]] if len(rows) == 1 else _class(rows[0])
        for code, rows in by_class.items()
    }
    return _Tables(
        MappingProxyType(subclasses),
        MappingProxyType(classes),
        MappingProxyType(dict(sorted(headings.items()))),
    )


def _class(row: dict[str, str]) -> ActivityCode:
    return ActivityCode(
        code=row["nace_class"],
        label_fr=row["nace_class_label_fr"],
        label_en=row["nace_class_label_en"],
        nace_class=row["nace_class"],
        nace_division=row["nace_division"],
        nace_section=row["nace_section"],
        is_subclass=False,
    )


def naf_codes() -> Mapping[str, ActivityCode]:
    """The 732 NAF sub-classes keyed by code ("20.14Z"), read-only, loaded once."""
    return _tables().subclasses


def nace_headings() -> Mapping[str, NaceHeading]:
    """The 21 sections ("C") and 88 divisions ("20") of NACE Rev.2, French and English."""
    return _tables().headings


def naf_lookup(text: str) -> ActivityCode:
    """The activity a SIRENE extract, a form or a spreadsheet names, or UnknownCodeError.

    A class without its letter is kept as precise as it is: resolved when it has a single
    sub-class, left as the class when choosing a sub-class would invent a fact.
    """
    compact = _SEPARATORS.sub("", text).upper()
    match = _SPELLING.fullmatch(compact)
    if match:
        digits, letter = match.groups()
        class_code = f"{digits[:2]}.{digits[2:]}"
        tables = _tables()
        found = (
            tables.subclasses.get(class_code + letter) if letter else tables.classes.get(class_code)
        )
        if found is not None:
            return found
    raise UnknownCodeError(nomenclature=NOMENCLATURE, value=text, suggestions=_suggestions(compact))


def _suggestions(compact: str) -> tuple[str, ...]:
    """Nearest codes of the same kind as typed: sub-classes when a letter ends the input,
    otherwise classes (shown as naf_lookup would return them); none without any digit."""
    digits = re.sub(r"[^0-9]", "", compact)
    if not digits:
        return ()
    tables = _tables()
    if compact[-1].isalpha():
        keys = {code.replace(".", ""): code for code in tables.subclasses}
    else:
        keys = {code.replace(".", ""): entry.code for code, entry in tables.classes.items()}
    query = re.sub(r"[^0-9A-Z]", "", compact)
    ranked = nearest(query, list(keys), limit=SUGGESTIONS, tie_break=_closeness(digits))
    return tuple(keys[key] for key in ranked)


def _closeness(digits: str) -> Callable[[str], float]:
    """Tie-break between equally near codes: the numerically closest class first."""
    target = int(digits[:4].ljust(4, "0"))
    return lambda key: abs(int(key[:4]) - target)
