"""Codes and units of a bundle through the nomenclatures, cached for long files.

A 100,000-row resources file repeats a few dozen codes and units; the nomenclature
lookups (fuzzy suggestions, pint) are far slower than a dict hit, so answers and refusals
are cached by the text as written. The cache is bounded, so memory stays flat. The
nomenclatures are imported on first use: loading pint's registry costs time that a
bundle without units should not pay.
"""

from __future__ import annotations

from functools import lru_cache

from symbiose.core.bundle.values import ValueIssue
from symbiose.core.errors import UnknownCodeError, UnknownUnitError
from symbiose.core.i18n import gettext_noop

CACHE = 4096

UNKNOWN_EWC = gettext_noop("unknown waste code (EWC) “%(value)s”")
UNKNOWN_EWC_NEAR = gettext_noop("unknown waste code (EWC) “%(value)s”; nearest: %(suggestions)s")
UNKNOWN_NAF = gettext_noop("unknown activity code (NAF) “%(value)s”")
UNKNOWN_NAF_NEAR = gettext_noop(
    "unknown activity code (NAF) “%(value)s”; nearest: %(suggestions)s"
)
UNKNOWN_UNIT = gettext_noop("unknown unit “%(value)s”")
UNKNOWN_UNIT_NEAR = gettext_noop("unknown unit “%(value)s”; did you mean: %(suggestions)s")


def _issue(text: str, suggestions: tuple[str, ...], plain: str, near: str) -> ValueIssue:
    if suggestions:
        return ValueIssue(near, value=text, suggestions=", ".join(suggestions))
    return ValueIssue(plain, value=text)


@lru_cache(maxsize=CACHE)
def _ewc(text: str) -> str | ValueIssue:
    from symbiose.core.nomenclature.ewc import ewc_lookup

    try:
        return ewc_lookup(text).code
    except UnknownCodeError as error:
        return _issue(text, error.suggestions, UNKNOWN_EWC, UNKNOWN_EWC_NEAR)


@lru_cache(maxsize=CACHE)
def _naf(text: str) -> str | ValueIssue:
    from symbiose.core.nomenclature.naf import naf_lookup

    try:
        return naf_lookup(text).code
    except UnknownCodeError as error:
        return _issue(text, error.suggestions, UNKNOWN_NAF, UNKNOWN_NAF_NEAR)


@lru_cache(maxsize=CACHE)
def _unit(text: str) -> str | ValueIssue:
    from symbiose.core.nomenclature.units import unit_normalize

    try:
        return unit_normalize(text)
    except UnknownUnitError as error:
        return _issue(text, error.suggestions, UNKNOWN_UNIT, UNKNOWN_UNIT_NEAR)


def _answer(result: str | ValueIssue) -> str:
    if isinstance(result, ValueIssue):
        # A fresh exception each time: a raised exception keeps its traceback.
        raise ValueIssue(result.message, **result.params)
    return result


def ewc_code(text: str) -> str:
    """The six-digit stored form of an EWC code written any usual way ("16 02 13*")."""
    return _answer(_ewc(text.strip()))


def naf_code(text: str) -> str:
    """The stored form of a NAF/NACE code ("2014" -> "20.14Z")."""
    return _answer(_naf(text.strip()))


def unit_code(text: str) -> str:
    """The canonical spelling of a unit ("tonnes" -> "t")."""
    return _answer(_unit(text.strip()))


@lru_cache(maxsize=CACHE)
def ewc_display(code: str) -> str:
    """"16 02 13*" for the stored "160213"; the stored text itself if it is not a code."""
    from symbiose.core.nomenclature.ewc import ewc_lookup

    try:
        return ewc_lookup(code).display
    except UnknownCodeError:
        return code
