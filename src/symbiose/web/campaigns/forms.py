"""Forms of a campaign. The company's lines are validated by the balance entry's own
fields (`territory.forms`), so a quantity is refused with the same words there and here:
negative, unreadable, or larger than any flow of a territory."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from symbiose.web.territory.amounts import AmountField
from symbiose.web.territory.forms import ResourceFieldsMixin
from symbiose.web.territory.models import Actor, Resource, Territory

NEW_LINES = 3


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year of the balances"), min_value=1990,
                              max_value=2100)
    everyone = forms.BooleanField(label=_("All the actors of the territory"), required=False,
                                  initial=True)
    actors = forms.ModelMultipleChoiceField(
        label=_("Or only these actors"), queryset=Actor.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}))
    reminder_days = forms.CharField(
        label=_("Reminders (days after the first email)"), initial="7, 14", required=False,
        help_text=_("Numbers separated by commas; empty for no reminder."))
    closes_on = forms.DateField(label=_("Closing date"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, territory: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.territory = territory
        self.fields["actors"].queryset = (  # type: ignore[attr-defined]
            Actor.objects.filter(territory=territory).order_by("name").only("id", "name"))
        if not self.is_bound:
            year = timezone.localdate().year
            self.initial.setdefault("year", year)
            self.initial.setdefault("title", gettext("Flow balances %(year)d") % {"year": year})

    def clean_reminder_days(self) -> list[int]:
        text = self.cleaned_data.get("reminder_days", "")
        days = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or not 1 <= int(part) <= 365:
                raise forms.ValidationError(
                    _("“%(value)s” is not a number of days between 1 and 365."),
                    params={"value": part})
            days.append(int(part))
        return sorted(set(days))

    def actor_options(self) -> list[tuple[int, str, bool]]:
        """(id, name, selected) of every actor: the page writes the select's options
        itself, as Django's widget renders thousands of them in a quarter of a second."""
        chosen = {str(v) for v in (self["actors"].value() or [])}
        return [(pk, name, str(pk) in chosen) for pk, name in
                Actor.objects.filter(territory=self.territory).order_by("name")
                .values_list("id", "name")]

    def chosen_actors(self) -> list[Actor]:
        """The actors selected in the list when there are some (the box "all" is ticked
        by default, and choosing names says what is meant), else all of them."""
        if self.cleaned_data.get("actors"):
            return list(self.cleaned_data["actors"])
        return list(Actor.objects.filter(territory=self.territory).order_by("name"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("everyone") and not cleaned.get("actors"):
            self.add_error("actors", gettext("Choose at least one actor of the territory."))
        return cleaned


class LineForm(ResourceFieldsMixin):
    """One pre-filled line: kept as it is, changed, or dropped."""

    label = forms.CharField(label=_("Label"), max_length=500)
    quantity = AmountField(label=_("Quantity"), max_digits=24, places=6)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    drop = forms.BooleanField(label=_("Gone this year"), required=False)

    def dropped(self) -> bool:
        """Ticked "gone": the line's other fields do not matter any more."""
        return self["drop"].value() in (True, "on", "true", "1")


class NewLineForm(ResourceFieldsMixin):
    """A line the company adds; left empty, it is ignored."""

    direction = forms.ChoiceField(label=_("Direction"), choices=[
        ("out", _("Output (offered, rejected)")), ("in", _("Input (consumed, needed)"))],
        initial="out")
    label = forms.CharField(label=_("What"), max_length=500, required=False)
    quantity = AmountField(label=_("Quantity"), max_digits=24, places=6)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)

    def filled(self) -> bool:
        return any(str(self[name].value() or "").strip()
                   for name in ("label", "quantity", "unit"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.filled() and not cleaned.get("label") and "label" not in self.errors:
            self.add_error("label", gettext("Say what this line is."))
        return cleaned


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), required=False)


def line_forms(lines: list[Resource], data: Any = None) -> list[LineForm]:
    return [LineForm(data, prefix=f"line-{line.pk}", initial={
        "label": line.label, "quantity": line.quantity, "unit": line.unit})
        for line in lines]


def new_line_forms(data: Any = None) -> list[NewLineForm]:
    return [NewLineForm(data, prefix=f"new-{n}") for n in range(NEW_LINES)]
