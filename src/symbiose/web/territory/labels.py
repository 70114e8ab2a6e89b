"""Names of families, sectors and activities in the reader's language.

Several apps show them (the dashboard's diagram, the map, proposals, the actor page);
each asks here, so that "in the reader's language" is decided once.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext

from symbiose.core.classes import UNCLASSIFIED, families
from symbiose.core.errors import UnknownCodeError
from symbiose.core.nomenclature.naf import nace_headings, naf_lookup


def reads_english() -> bool:
    return (get_language() or "fr").startswith("en")


def family_label(family: str, *, unknown: str | None = None) -> str:
    """A resource family in the reader's language; `unknown` (default "Not yet
    classified") for a line without one."""
    found = families().get(family) if family != UNCLASSIFIED else None
    if found is None:
        return gettext("Not yet classified") if unknown is None else unknown
    return found.label_en if reads_english() else found.label_fr


def section_label(section: str) -> str | None:
    """A NACE section's heading in the reader's language, or None for an unknown one.

    NACE writes its sections in capitals ("TRANSPORTS ET ENTREPOSAGE"), which shout in a
    sentence or a diagram: the heading is given in sentence case.
    """
    heading = nace_headings().get(section) if section else None
    if heading is None:
        return None
    label = heading.label_en if reads_english() else heading.label_fr
    return label[:1].upper() + label[1:].lower()


def naf_label(code: str) -> str:
    """The activity's label in the reader's language ("" for no or an unknown code)."""
    if not code:
        return ""
    try:
        found = naf_lookup(code)
    except UnknownCodeError:
        return ""
    return found.label_en if reads_english() else found.label_fr
