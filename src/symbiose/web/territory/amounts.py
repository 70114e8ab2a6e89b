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


def amount_parse(text: str) -> Decimal | None:
    """The number typed, None when empty; ValueIssue when it is not a number."""
    text = text.strip()
    if not text:
        return None
    french = not (get_language() or "fr").startswith("en")
    return parse_decimal(text, decimal_comma=french)


def amount_problem(value: Decimal) -> str:
    """Why a typed amount is refused, or ""."""
    if value < 0:
        return str(NEGATIVE)
    if value > AMOUNT_MAX:
        return str(TOO_LARGE)
    return ""


class AmountField(forms.DecimalField):
    """A quantity or a cost: 0 or more, at most AMOUNT_MAX, in the reader's own spelling."""

    widget = forms.TextInput

    def __init__(self, *, places: int, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(decimal_places=places, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            number = amount_parse(str(value))
        except ValueIssue as issue:
            raise forms.ValidationError(gettext(issue.message) % issue.params,
                                        code="invalid") from issue
        if number is None:
            return None
        problem = amount_problem(number)
        if problem:
            raise forms.ValidationError(problem, code="out_of_range")
        return number

    def prepare_value(self, value: Any) -> Any:
        """A stored amount as one would type it: "8200" or "12,5", not "8200,000000"."""
        if isinstance(value, Decimal) and value.is_finite():
            text = format(value.normalize(), "f")
            return text if (get_language() or "fr").startswith("en") else text.replace(".", ",")
        return value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # A text box: a number input refuses "1 200" and "12,5" before the server sees them.
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.setdefault("inputmode", "decimal")
        return attrs
