"""Display of stored values in the reader's language (units are stored canonical)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django import template
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from symbiose.web.territory.suggestions import YearlyEquivalent

register = template.Library()

# Only the units whose symbol is a word need words; "t" or "MWh" read the same in both
# languages, and areas and volumes take their superscript.
UNIT_WORDS = {
    "m3": "m³",
    "m2": "m²",
    "km2": "km²",
    "unit": _("unit(s)"),
    "person": _("person(s)"),
    "job": _("job(s)"),
    "FTE": _("FTE"),
    "place": _("place(s)"),
    "day": _("day(s)"),
    "week": _("week(s)"),
    "month": _("month(s)"),
    "EUR": "€",
}


@register.filter
def unit_label(unit: str) -> str:
    return str(UNIT_WORDS.get(unit, unit))


@register.filter
def resource_class_label(class_id: str) -> str:
    """A resource class as people read it, in the reader's language ("" for none)."""
    from symbiose.web.territory.suggestions import label_of

    return label_of(class_id) if class_id else ""


@register.simple_tag
def per_year(quantity: Decimal | None, unit: str, period: str) -> YearlyEquivalent | None:
    """A line's quantity per year in tonnes, m³ or MWh, when its unit converts to one."""
    from symbiose.web.territory.suggestions import yearly_equivalent

    return yearly_equivalent(quantity, unit, period)


@register.filter
def amount(value: Decimal | float | None) -> str:
    """A quantity as people write it: at most three decimals, none when whole, grouped
    thousands in the reader's language ("28,8", "28 800")."""
    from django.utils.formats import number_format

    if value is None:
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.001"), ROUND_HALF_UP).normalize()
    if number.as_tuple().exponent > 0:  # type: ignore[operator]
        number = number.quantize(Decimal(1))
    return number_format(number, force_grouping=True)
