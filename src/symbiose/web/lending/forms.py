"""Forms of the lending. They check the shape of what is posted; the offer's rules
(overlaps, availability, longest booking, one's own item) are the services', whose
refusals the views put beside the field they name."""

from __future__ import annotations

import datetime
import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from symbiose.web.lending.models import Offer, OfferPeriod
from symbiose.web.lending.services import Period

DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2}")
# What may surround the dates of a period: "du 01/07/2026 au 31/07/2026", "1/7/2026 – 31/7/2026".
FILLER = re.compile(r"[\s\-–—]+|\b(?:du|au|from|to)\b|(?<!\w)à(?!\w)", re.IGNORECASE)
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
PERIODS_HELP = _("One period per line, first and last day included: "
                 "“01/07/2026 – 31/07/2026”, or a single day.")


def _date(text: str) -> datetime.date:
    fmt = "%d/%m/%Y" if "/" in text else "%Y-%m-%d"
    return datetime.datetime.strptime(text, fmt).date()


def periods_parse(text: str, kind: str) -> list[Period]:
    """Periods from lines of one or two dates; every bad line named by its number."""
    found: list[Period] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        dates = DATE.findall(line)
        rest = FILLER.sub("", DATE.sub(" ", line))
        try:
            if not 1 <= len(dates) <= 2 or rest:
                raise ValueError
            first, last = _date(dates[0]), _date(dates[-1])
        except ValueError:
            errors.append(gettext("Line %(n)d: write a day (31/07/2026) or two days "
                                  "separated by a dash.") % {"n": number})
            continue
        if last < first:
            errors.append(gettext("Line %(n)d: the last day comes before the first.")
                          % {"n": number})
            continue
        found.append((kind, first, last))
    if errors:
        raise forms.ValidationError(errors)
    return found


def periods_text(periods: list[OfferPeriod], kind: str) -> str:
    return "\n".join(f"{p.first_day:%d/%m/%Y} – {p.last_day:%d/%m/%Y}"
                     for p in periods if p.kind == kind)


class OfferForm(forms.ModelForm):
    available = forms.CharField(
        label=_("Available periods"), required=False, help_text=PERIODS_HELP,
        widget=forms.Textarea(attrs={"rows": 3}))
    blocked = forms.CharField(
        label=_("Periods when it is not available"), required=False, help_text=PERIODS_HELP,
        widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Offer
        fields = ["title", "description", "location", "pricing", "price_eur", "deposit_eur",
                  "insurance_required", "max_days", "always_available", "available",
                  "blocked", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["active"]

    def clean_available(self) -> list[Period]:
        return periods_parse(self.cleaned_data.get("available") or "",
                             OfferPeriod.Kind.AVAILABLE)

    def clean_blocked(self) -> list[Period]:
        return periods_parse(self.cleaned_data.get("blocked") or "",
                             OfferPeriod.Kind.BLOCKED)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pricing", Offer.Pricing.FREE) != Offer.Pricing.FREE \
                and data.get("price_eur") is None and "price_eur" not in self.errors:
            self.add_error("price_eur", gettext("Give the price, or choose “free”."))
        if data.get("always_available") is False and "available" in data \
                and not data["available"]:
            self.add_error("available", gettext(
                "List the available periods, or tick “always available”."))
        return data

    def periods(self) -> list[Period]:
        return [*self.cleaned_data.get("available", []), *self.cleaned_data.get("blocked", [])]

    def data_for_service(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items()
                if name not in {"available", "blocked"}}


class BookingForm(forms.Form):
    """Who borrows, from when until when. The choices are the reader's companies."""

    borrower = forms.TypedChoiceField(label=_("Borrowing company"), coerce=int)
    start = forms.DateTimeField(
        label=_("From"), input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL))
    end = forms.DateTimeField(
        label=_("Until"), input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL))
    message = forms.CharField(label=_("Message to the lender"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, borrowers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["borrower"])
        field.choices = borrowers if len(borrowers) == 1 else [
            ("", _("Choose a company…")), *borrowers]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    note = forms.CharField(label=_("Note to the borrower"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ConditionForm(forms.Form):
    note = forms.CharField(label=_("Condition of the item"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("What was checked: state, accessories, fuel, "
                                       "meter reading…"))

