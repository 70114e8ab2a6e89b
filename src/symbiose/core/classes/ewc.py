"""Every EWC code mapped to a resource class, by chapter / sub-chapter rules plus overrides.

The rules are data (`data/ewc_classes.csv`, columns prefix,class): the longest prefix of a
six-digit code that has a row wins, so a chapter row is the fallback, a sub-chapter row
refines it and a full code overrides both.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from types import MappingProxyType

from symbiose.core.classes.vocabulary import (
    DATA_PACKAGE,
    UNCLASSIFIED,
    VocabularyError,
    resource_classes,
)
from symbiose.core.errors import UnknownCodeError
from symbiose.core.nomenclature.ewc import ewc_codes, ewc_lookup


@cache
def _rules() -> Mapping[str, str]:
    text = files(DATA_PACKAGE).joinpath("ewc_classes.csv").read_text(encoding="utf-8")
    rules = {row["prefix"]: row["class"] for row in csv.DictReader(io.StringIO(text))}
    known = resource_classes()
    for prefix, cid in rules.items():
        if cid not in known:
            raise VocabularyError(f"ewc_classes.csv: prefix {prefix}: unknown class {cid!r}")
    return MappingProxyType(rules)


def _by_prefix(code: str) -> str:
    rules = _rules()
    for length in (6, 4, 2):
        found = rules.get(code[:length])
        if found is not None:
            return found
    return UNCLASSIFIED


@cache
def ewc_class_map() -> Mapping[str, str]:
    """All 842 codes (six digits) -> class id."""
    return MappingProxyType({code: _by_prefix(code) for code in ewc_codes()})


def ewc_class(text: str) -> str:
    """The class of an EWC code in any usual spelling; "unclassified" when the code is
    unknown or empty (a bad code is reported by the bundle checker, not here)."""
    if not text.strip():
        return UNCLASSIFIED
    try:
        code = ewc_lookup(text).code
    except UnknownCodeError:
        code = "".join(ch for ch in text if ch.isdigit())
        if len(code) != 6:
            return UNCLASSIFIED
        return _by_prefix(code)
    return ewc_class_map()[code]
