"""Parsing one cell of a bundle into a typed value, the way a French facilitator writes it.

Every parser either returns the value or raises `ValueIssue` carrying a message marked for
translation and its parameters; the row validator turns that into a located `Problem`.
A parser never guesses silently: a number that reads differently in French and in
English ("1,200") is refused as ambiguous rather than stored wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from symbiose.core.i18n import gettext_noop


class ValueIssue(ValueError):
    """Why a cell was refused: an English format string (gettext_noop) and its params."""

    def __init__(self, message: str, **params: str) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


_MARKS = re.compile(r"[^a-z0-9]+")
_PARENTHESES = re.compile(r"\([^)]*\)")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """The comparison key of a header or a vocabulary word: case, accents, spaces,
    punctuation and a trailing "(unit)" do not matter ("Quantité (t)" == "quantite")."""
    text = _PARENTHESES.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _MARKS.sub("", bare)


# Thousands may be grouped by spaces, including the no-break spaces that French
# spreadsheet software writes ("1 200,50").
_SPACES = " \u00a0\u202f\u2009"
_SPACE_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?")
_SIMPLE = re.compile(r"-?\d+(?:\.\d+)?")
_INTEGER = re.compile(r"-?\d+")
_PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_AMBIGUOUS_COMMA = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")
_AMBIGUOUS_POINT = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")
_COMMA_DECIMAL = re.compile(r"[+-]?(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d+),\d+")
_POINT_DECIMAL = re.compile(r"[+-]?\d+\.\d+")

NOT_A_NUMBER = gettext_noop("“%(value)s” is not a number")
AMBIGUOUS = gettext_noop("“%(value)s” is ambiguous: write %(plain)s or %(decimal)s")


def _ungroup(integer: str, separator: str, value: str) -> str:
    """Remove thousands separators from the integer part, which must group by 3."""
    sign = integer[:1] if integer[:1] in "+-" else ""
    groups = integer[len(sign):].split(separator)
    if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        raise ValueIssue(NOT_A_NUMBER, value=value)
    return sign + "".join(groups)


def parse_decimal(text: str, *, decimal_comma: bool = False) -> Decimal:
    """A number as written: "12.5", "12,5", "1 200,50", "1,200.5", "-3", "1e3".

    `decimal_comma` says the file was detected as French-style: then "1,200" is 1.2 and
    "1.200" is 1200 is refused as ambiguous; without it "1,200" is refused as ambiguous
    and "1.200" is 1.2. The digits are kept as written (Decimal("0.250")), never rounded.
    """
    value = text.strip()
    if (_INTEGER if decimal_comma else _SIMPLE).fullmatch(value):
        return Decimal(value)  # the common case, without the checks below
    if any(space in value for space in _SPACES):
        if not _SPACE_GROUPED.fullmatch(value):
            raise ValueIssue(NOT_A_NUMBER, value=value)
        value = "".join(ch for ch in value if ch not in _SPACES)
    if "," in value and "." in value:
        decimal_mark = "," if value.rfind(",") > value.rfind(".") else "."
        group = "." if decimal_mark == "," else ","
        integer, _, fraction = value.rpartition(decimal_mark)
        value = _ungroup(integer, group, value) + "." + fraction
    elif value.count(",") == 1:
        if not decimal_comma and _AMBIGUOUS_COMMA.fullmatch(value):
            raise ValueIssue(AMBIGUOUS, value=value, plain=value.replace(",", ""),
                             decimal=value.replace(",", "."))
        value = value.replace(",", ".")
    elif value.count(",") > 1:
        if decimal_comma:
            raise ValueIssue(NOT_A_NUMBER, value=value)
        value = _ungroup(value, ",", value)
    elif value.count(".") == 1 and decimal_comma and _AMBIGUOUS_POINT.fullmatch(value):
        raise ValueIssue(AMBIGUOUS, value=value, plain=value.replace(".", ""),
                         decimal=value.replace(".", ","))
    elif value.count(".") > 1:
        if not decimal_comma:
            raise ValueIssue(NOT_A_NUMBER, value=value)
        value = _ungroup(value, ".", value)
    if not _PLAIN.fullmatch(value):
        raise ValueIssue(NOT_A_NUMBER, value=text.strip())
    try:
        number = Decimal(value)
    except InvalidOperation as error:  # pragma: no cover - the pattern above forbids it
        raise ValueIssue(NOT_A_NUMBER, value=text.strip()) from error
    if not number.is_finite():  # pragma: no cover - idem
        raise ValueIssue(NOT_A_NUMBER, value=text.strip())
    return number


def decimal_evidence(text: str) -> int:
    """+1 if the cell can only be a French decimal ("12,5"), -1 if only an English one
    ("12.5"), 0 otherwise; summed over a file's first rows to detect its decimal mark."""
    value = text.strip()
    if _COMMA_DECIMAL.fullmatch(value) and not _AMBIGUOUS_COMMA.fullmatch(value):
        return 1
    if _POINT_DECIMAL.fullmatch(value) and not _AMBIGUOUS_POINT.fullmatch(value):
        return -1
    return 0


def format_decimal(number: Decimal) -> str:
    """Plain notation without trailing zeros: "0.25", "1800", never "1.8E+3"."""
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


WHOLE = gettext_noop("“%(value)s” is not a whole number of 0 or more")
YEAR = gettext_noop("“%(value)s” is not a plausible year (%(first)s–%(last)s)")
FIRST_YEAR, LAST_YEAR = 1990, 2100


def parse_whole(text: str, *, decimal_comma: bool = False) -> int:
    """A count such as a headcount: a whole number of 0 or more ("12", "12.0")."""
    try:
        number = parse_decimal(text, decimal_comma=decimal_comma)
    except ValueIssue as issue:
        raise ValueIssue(WHOLE, value=text.strip()) from issue
    if number != number.to_integral_value() or number < 0:
        raise ValueIssue(WHOLE, value=text.strip())
    return int(number)


def parse_year(text: str) -> int:
    """A flow balance's year: 1990 to 2100, so a quantity typed in the wrong column
    or a two-digit year is caught."""
    issue = ValueIssue(YEAR, value=text.strip(), first=str(FIRST_YEAR), last=str(LAST_YEAR))
    try:
        year = parse_whole(text)
    except ValueIssue as error:
        raise issue from error
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise issue
    return year


CHOICE = gettext_noop("unknown value “%(value)s”; allowed: %(allowed)s")


def parse_choice(text: str, vocabulary: Mapping[str, str], allowed: tuple[str, ...]) -> str:
    """One word of a closed vocabulary, French or English, any case or accent.

    `vocabulary` maps folded spellings to the stored value; `allowed` is listed in the
    message so the facilitator sees what to write.
    """
    found = vocabulary.get(fold(text))
    if found is None:
        raise ValueIssue(CHOICE, value=text.strip(), allowed=", ".join(allowed))
    return found


SIRET_DIGITS = gettext_noop("a SIRET has 14 digits; “%(value)s” has %(count)s")
SIRET_CHECK = gettext_noop("SIRET “%(value)s” is not valid (check digit); check for a typo")
_LA_POSTE = "356000000"


def parse_siret(text: str) -> str:
    """14 digits passing the Luhn check, spaces removed. La Poste's establishments share
    one SIREN and follow another rule (digit sum divisible by 5), accepted as such."""
    digits = "".join(ch for ch in text if ch not in _SPACES + ".-")
    if not digits.isdigit() or len(digits) != 14 or not digits.isascii():
        count = sum(ch.isdigit() for ch in digits)
        raise ValueIssue(SIRET_DIGITS, value=text.strip(), count=str(count))
    if digits.startswith(_LA_POSTE) and digits != _LA_POSTE + "00048":
        valid = sum(int(d) for d in digits) % 5 == 0
    else:
        valid = luhn_valid(digits)
    if not valid:
        raise ValueIssue(SIRET_CHECK, value=text.strip())
    return digits


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum that SIREN and SIRET numbers carry."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
