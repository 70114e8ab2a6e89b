"""What the balance entry proposes while one types: a resource class and an EWC code from
the label, and a quantity's yearly equivalent in the unit the engine compares.

Built on `symbiose.core` (classification, vocabulary, units); nothing here reads the
database, so the HTMX fragments that use it stay cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.utils.translation import get_language, gettext

from symbiose.core.classes import (
    UNCLASSIFIED,
    class_label,
    ewc_class_map,
    families,
    resource_classes,
)
from symbiose.core.classify import classify
from symbiose.core.errors import SymbioseError, UnknownCodeError, UnknownUnitError
from symbiose.core.knowledge import flows_by_division
from symbiose.core.knowledge.flows import likely_flows
from symbiose.core.nomenclature.ewc import ewc_codes, ewc_lookup
from symbiose.core.nomenclature.units import quantity_convert, unit_dimension

# The same factors as the matching engine uses to put quantities on a yearly footing.
PER_YEAR = {"year": 1, "month": 12, "week": 52, "day": 365}
# The unit each dimension is compared in, as the dashboards say it.
YEARLY_UNIT = {"mass": "t", "volume": "m3", "energy": "MWh"}
ALTERNATIVES = 2


def _language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def label_of(class_id: str) -> str:
    return class_label(class_id, _language())


def confidence_words(confidence: float) -> str:
    """A confidence said as people say it, not as a number."""
    if confidence >= 0.75:
        return gettext("sure")
    if confidence >= 0.5:
        return gettext("likely")
    return gettext("to check")


@cache
def _curated_ewc() -> dict[str, str]:
    """Class -> the EWC code the likely-flows table gives it (chosen by hand there)."""
    found: dict[str, str] = {}
    flows = [f for rows in flows_by_division().values() for f in rows]
    flows += likely_flows("", include_common=True)
    for flow in flows:
        if flow.ewc and flow.direction == "out":
            found.setdefault(flow.class_id, flow.ewc)
    return found


@cache
def _mapped_ewc() -> dict[str, str]:
    """Class -> one code of the EWC list that maps to it: a non-hazardous, specific one
    (not a "99 not otherwise specified") when there is one."""
    codes = ewc_codes()
    candidates: dict[str, list[str]] = {}
    for code, class_id in ewc_class_map().items():
        candidates.setdefault(class_id, []).append(code)
    found = {}
    for class_id, listed in candidates.items():
        ranked = sorted(listed, key=lambda c: (codes[c].hazardous, c.endswith("99"), c))
        found[class_id] = ranked[0]
    return found


def class_ewc(class_id: str) -> str:
    """The EWC code (display form "15 01 03") a waste of this class is usually declared
    under, or "" when the class maps to none."""
    code = _curated_ewc().get(class_id) or _mapped_ewc().get(class_id, "")
    if not code or class_id == UNCLASSIFIED:
        return ""
    try:
        return ewc_lookup(code).display
    except UnknownCodeError:
        return ""


@dataclass(frozen=True)
class ClassOption:
    id: str
    label: str
    ewc: str = ""


@dataclass(frozen=True)
class Suggestion:
    label: str
    classified: bool
    best: ClassOption | None
    confidence: str
    alternatives: list[ClassOption]


def suggest(*, label: str, direction: str = "", kind: str = "") -> Suggestion:
    """The class of a line from its label (and kind), with up to two alternatives; an
    EWC code is proposed for outputs only: inputs are not waste."""
    found = classify(label=label, kind=kind)

    def option(class_id: str) -> ClassOption:
        ewc = class_ewc(class_id) if direction == "out" else ""
        return ClassOption(class_id, label_of(class_id), ewc)

    if not found.classified:
        return Suggestion(label, False, None, "", [])
    return Suggestion(
        label=label, classified=True, best=option(found.class_id),
        confidence=confidence_words(found.confidence),
        alternatives=[option(cid) for cid, _ in found.alternatives[:ALTERNATIVES]],
    )


def class_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every class for a select, grouped by family, in the reader's language."""
    language = _language()
    grouped: dict[str, list[tuple[str, str]]] = {}
    for class_id, found in resource_classes().items():
        grouped.setdefault(found.family, []).append((class_id, class_label(class_id, language)))
    names = families()
    return [
        ((names[fid].label_en if language == "en" else names[fid].label_fr)
         if fid in names else fid, sorted(options, key=lambda o: o[1]))
        for fid, options in grouped.items()
    ]


def class_kind(class_id: str) -> str:
    found = resource_classes().get(class_id)
    return found.kind if found else ""


@dataclass(frozen=True)
class YearlyEquivalent:
    value: Decimal
    unit: str


def yearly_equivalent(quantity: Decimal | None, unit: str, period: str
                      ) -> YearlyEquivalent | None:
    """The quantity per year in tonnes, m³ or MWh, when its unit converts to one."""
    if quantity is None or not unit or period not in PER_YEAR:
        return None
    try:
        target = YEARLY_UNIT.get(unit_dimension(unit))
        if target is None:
            return None
        value = quantity_convert(float(quantity), unit, target) * PER_YEAR[period]
    except (UnknownUnitError, SymbioseError):
        return None
    return YearlyEquivalent(Decimal(f"{value:.4g}"), target)
