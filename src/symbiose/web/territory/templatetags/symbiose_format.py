"""Display of stored values in the reader's language (units are stored canonical)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Only the units whose symbol is a word need words; "t", "MWh" or "m3" read the same.
UNIT_WORDS = {
    "unit": _("unit(s)"),
    "person": _("person(s)"),
    "job": _("job(s)"),
    "FTE": _("FTE"),
    "place": _("place(s)"),
    "day": _("day(s)"),
    "week": _("week(s)"),
    "month": _("month(s)"),
}


@register.filter
def unit_label(unit: str) -> str:
    return str(UNIT_WORDS.get(unit, unit))
