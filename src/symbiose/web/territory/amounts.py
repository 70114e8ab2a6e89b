"""Quantities and costs typed in a form, read the way the import reads a spreadsheet cell.

A facilitator writes "12,5", "1 200" or "1 200,50" in French, "1,200.5" in English; the
form, the live yearly equivalent and the import must all read the same text the same
way, so all three go through the core's `parse_decimal`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language, gettext, gettext_lazy

from symbiose.core.bundle.validate import AMOUNT_MAX
from symbiose.core.bundle.values import ValueIssue, parse_decimal

NEGATIVE = gettext_lazy("A quantity cannot be negative.")
TOO_LARGE = gettext_lazy("No flow or cost of a territory is that large: at most "
                         "1 000 000 000 000.")


def _french() -> bool:
    return not (get_language() or "fr").startswith("en")


def amount_read(text: str) -> tuple[Decimal | None, str]:
    """(the amount typed, None when empty or refused; why it is refused, or "")."""
    text = text.strip()
    if not text:
        return None, ""
    try:
        number = parse_decimal(text, decimal_comma=_french())
    except ValueIssue as issue:
        return None, gettext(issue.message) % issue.params
    if number < 0:
        return None, str(NEGATIVE)
    if number > AMOUNT_MAX:
        return None, str(TOO_LARGE)
    return number, ""


class AmountField(forms.DecimalField):
    """A quantity or a cost: 0 or more, at most AMOUNT_MAX, in the reader's own spelling."""

    widget = forms.TextInput

    def __init__(self, *, places: int, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(decimal_places=places, **kwargs)

    # django-stubs types DecimalField.to_python as IntegerField's (int); Django returns Decimal.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        number, problem = amount_read(str(value))
        if problem:
            raise forms.ValidationError(problem, code="invalid")
        return number

    def prepare_value(self, value: Any) -> Any:
        """A stored amount as one would type it: "8200" or "12,5", not "8200,000000"."""
        if isinstance(value, Decimal) and value.is_finite():
            text = format(value.normalize(), "f")
            return text.replace(".", ",") if _french() else text
        return value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # A text box: a number input refuses "1 200" and "12,5" before the server sees them.
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.setdefault("inputmode", "decimal")
        return attrs
