"""The European List of Waste (EWC / LoW, Commission Decision 2000/532/EC), as packaged data.

INTERFACE (implemented by the nomenclature work; other modules rely on exactly this):

    @dataclass(frozen=True, slots=True)
    class WasteCode:
        code: str          # six digits, no spaces, no star: "160213"
        hazardous: bool
        label_en: str
        label_fr: str
        chapter: str       # "16"
        @property display -> str   # "16 02 13*" (star when hazardous)

    def ewc_lookup(text: str) -> WasteCode
        Accepts every usual spelling: "10 01 05", "100105", "10.01.05", "10-01-05",
        "16 02 13*", " 160213 * ". A star on a code that is not hazardous, a chapter or
        sub-chapter heading ("10", "10 01"), or a code that does not exist raises
        UnknownCodeError(nomenclature="EWC", value=text, suggestions=...) with up to 5 nearest
        valid codes in display form, best first.

    def ewc_codes() -> Mapping[str, WasteCode]   # all 842, keyed by six-digit code
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

NOMENCLATURE = "EWC"
SUGGESTIONS = 5

# Spaces, dots, hyphens, underscores and the dashes that word processors put in pasted text.
_SEPARATORS = re.compile(r"[\s._\-\u2010-\u2015]+")
_SPELLING = re.compile(r"([0-9]+)(\*?)")


@dataclass(frozen=True, slots=True)
class WasteCode:
    """One entry of the list: a code that a waste can be declared under."""

    code: str
    hazardous: bool
    label_en: str
    label_fr: str
    chapter: str

    @property
    def display(self) -> str:
        """The form of the official list and of waste tracking slips: "16 02 13*"."""
        code = self.code
        return f"{code[:2]} {code[2:4]} {code[4:]}" + ("*" if self.hazardous else "")


@dataclass(frozen=True, slots=True)
class WasteHeading:
    """A chapter ("10") or sub-chapter ("1001"): it groups codes, no waste is declared under it."""

    code: str
    label_en: str
    label_fr: str

    @property
    def display(self) -> str:
        """ "10" or "10 01", as printed in the list."""
        return " ".join(self.code[i : i + 2] for i in range(0, len(self.code), 2))


@cache
def _codes() -> Mapping[str, WasteCode]:
    return MappingProxyType(
        {
            row["code"]: WasteCode(
                code=row["code"],
                hazardous=row["hazardous"] == "1",
                label_en=row["label_en"],
                label_fr=row["label_fr"],
                chapter=row["chapter"],
            )
            for row in read_table("ewc.csv")
        }
    )


def ewc_codes() -> Mapping[str, WasteCode]:
    """All 842 codes keyed by six-digit code, in the order of the list (read-only, loaded once)."""
    return _codes()


@cache
def ewc_headings() -> Mapping[str, WasteHeading]:
    """The 20 chapters and 111 sub-chapters keyed by "10" and "1001", for labels of groups."""
    headings: dict[str, WasteHeading] = {}
    for row in read_table("ewc.csv"):
        for level in ("chapter", "subchapter"):
            code = row[level]
            headings.setdefault(
                code, WasteHeading(code, row[f"{level}_label_en"], row[f"{level}_label_fr"])
            )
    return MappingProxyType(dict(sorted(headings.items())))


def ewc_lookup(text: str) -> WasteCode:
    """The code a facilitator or a spreadsheet cell means, or UnknownCodeError with hints.

    A missing star is accepted (the hazard is a property of the code, the star only shows
    it), but a star on a non-hazardous code is refused: the person believed the waste
    hazardous, and only they can say whether the code or the belief is wrong.
    """
    compact = _SEPARATORS.sub("", text)
    match = _SPELLING.fullmatch(compact)
    if match:
        digits, star = match.groups()
        found = _codes().get(digits)
        if found is not None and (found.hazardous or not star):
            return found
        if found is not None:
            raise UnknownCodeError(
                nomenclature=NOMENCLATURE, value=text, suggestions=_starred_suggestions(found)
            )
    raise UnknownCodeError(nomenclature=NOMENCLATURE, value=text, suggestions=_suggestions(compact))


def _starred_suggestions(code: WasteCode) -> tuple[str, ...]:
    """The code without its star first, then the nearest hazardous codes of its sub-chapter
    (often the hazardous "mirror" entry the person had in mind)."""
    hazardous = [
        other for other, entry in _codes().items() if entry.hazardous and other[:4] == code.code[:4]
    ]
    near = nearest(code.code, hazardous, limit=SUGGESTIONS - 1, tie_break=_closeness(code.code))
    return (code.display, *(_codes()[other].display for other in near))


def _suggestions(compact: str) -> tuple[str, ...]:
    """Nearest codes to the digits typed; none when no digit was typed at all."""
    digits = re.sub(r"[^0-9]", "", compact)
    if not digits:
        return ()
    codes = _codes()
    ranked = nearest(digits, list(codes), limit=SUGGESTIONS, tie_break=_closeness(digits))
    padded = digits.zfill(6)
    if len(digits) == 5 and padded in codes:
        # A spreadsheet that stored "010101" as a number shows 10101: say so first.
        ranked = [padded, *(code for code in ranked if code != padded)][:SUGGESTIONS]
    return tuple(codes[code].display for code in ranked)


def _closeness(digits: str) -> Callable[[str], float]:
    """Tie-break between equally near codes: the numerically closest to what was typed."""
    target = int(digits[:6].ljust(6, "0"))
    return lambda code: abs(int(code) - target)
