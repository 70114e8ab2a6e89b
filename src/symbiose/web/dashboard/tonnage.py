"""SQL expressions that turn resource lines into tonnes per year and resource families.

Both are CASE expressions built once from the packaged vocabularies (units through pint,
classes through `core.classes`), so that aggregates stay in the database: a territory of
50,000 lines is summed by a GROUP BY, never loaded into Python.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from django.db.models import Case, CharField, DecimalField, F, Q, Value, When
from django.db.models.expressions import ExpressionWrapper

from symbiose.core.classes import UNCLASSIFIED, families, resource_classes
from symbiose.core.nomenclature.units import canonical_units, quantity_convert, unit_dimension

TONNE = "t"
# How many periods make a year (a line of 2 t per month is 24 t per year).
PER_YEAR = {"year": 1, "month": 12, "week": 52, "day": 365}
_DECIMAL = DecimalField(max_digits=30, decimal_places=6)


@cache
def mass_units() -> tuple[str, ...]:
    """The canonical spellings measuring a mass ("t", "kt", "kg", "g")."""
    return tuple(unit for unit in canonical_units() if unit_dimension(unit) == "mass")


@cache
def _tonnes_factors() -> tuple[tuple[str, str, Decimal], ...]:
    """(unit, period, factor to tonnes per year) for every mass unit and period."""
    return tuple(
        (unit, period, Decimal(repr(quantity_convert(1.0, unit, TONNE))) * per_year)
        for unit in mass_units()
        for period, per_year in PER_YEAR.items()
    )


def tonnes_per_year() -> ExpressionWrapper:
    """A line's quantity in tonnes per year; NULL when it is not a mass (m3, MWh, …) or has
    no quantity."""
    factor = Case(
        *(When(unit=unit, period=period, then=Value(value))
          for unit, period, value in _tonnes_factors()),
        default=Value(None), output_field=_DECIMAL,
    )
    return ExpressionWrapper(F("quantity") * factor, output_field=_DECIMAL)


def in_mass() -> Q:
    """Lines whose quantity can be expressed in tonnes."""
    return Q(unit__in=mass_units(), quantity__isnull=False)


@cache
def family_classes() -> dict[str, tuple[str, ...]]:
    """Family id -> the ids of its classes, in vocabulary order."""
    grouped: dict[str, list[str]] = {family: [] for family in families()}
    for class_id, resource_class in resource_classes().items():
        grouped.setdefault(resource_class.family, []).append(class_id)
    return {family: tuple(ids) for family, ids in grouped.items() if ids}


def resource_family() -> Case:
    """A line's resource family; UNCLASSIFIED when its class is empty or unknown."""
    return Case(
        *(When(resource_class__in=ids, then=Value(family))
          for family, ids in family_classes().items()),
        default=Value(UNCLASSIFIED), output_field=CharField(),
    )


def family_filter(family: str) -> Q:
    """Lines of one family (UNCLASSIFIED: lines with no known class)."""
    if family == UNCLASSIFIED:
        known = [cid for ids in family_classes().values() for cid in ids]
        return ~Q(resource_class__in=known)
    return Q(resource_class__in=family_classes().get(family, ()))
