"""Forms of a workshop: its setting, its tables and invitations, a card, an interest and
the pairs kept. Each refusal is said beside its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from symbiose.core.classify import classify
from symbiose.core.errors import UnknownUnitError
from symbiose.core.nomenclature.units import unit_normalize
from symbiose.web.territory.amounts import AmountField
from symbiose.web.territory.forms import unknown_message
from symbiose.web.territory.models import Actor, Resource, Territory
from symbiose.web.territory.suggestions import class_kind
from symbiose.web.workshops.models import Card, Workshop, WorkshopTable

MAX_THEMES = 30


class WorkshopForm(forms.ModelForm):
    themes = forms.CharField(
        label=_("Tables by theme"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One theme per line, e.g. “Wood and pallets”, “Energy and heat”."))

    class Meta:
        model = Workshop
        fields = ["title", "date", "place", "description"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def clean_themes(self) -> list[str]:
        lines = [t.strip() for t in (self.cleaned_data.get("themes") or "").splitlines()]
        themes: list[str] = []
        for theme in lines:
            if theme and theme.lower() not in {t.lower() for t in themes}:
                themes.append(theme[:200])
        if len(themes) > MAX_THEMES:
            raise forms.ValidationError(gettext("At most %(n)d tables.") % {"n": MAX_THEMES})
        return themes


class WorkshopStateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=Workshop.State.choices)


class TableForm(forms.Form):
    theme = forms.CharField(label=_("Theme"), max_length=200)
    host = forms.CharField(label=_("Table facilitator"), max_length=200, required=False)


class InviteForm(forms.Form):
    actors = forms.ModelMultipleChoiceField(label=_("Actors"), queryset=Actor.objects.none(),
                                            widget=forms.SelectMultiple(attrs={"size": 10}))
    table = forms.ModelChoiceField(label=_("Table"), queryset=WorkshopTable.objects.none(),
                                   required=False)

    def __init__(self, *args: Any, workshop: Workshop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territory: Territory = workshop.territory
        invited = workshop.participants.values_list("actor_id", flat=True)
        self.fields["actors"].queryset = (  # type: ignore[attr-defined]
            territory.actors.exclude(pk__in=invited).order_by("name"))
        self.fields["table"].queryset = workshop.tables.all()  # type: ignore[attr-defined]


class CardForm(forms.Form):
    """A card put on the table: a label is all it needs; the class comes from the label
    unless one is chosen."""

    side = forms.ChoiceField(label=_("Side"), choices=Card.Side.choices,
                             widget=forms.RadioSelect)
    label = forms.CharField(label=_("What"), max_length=300,
                            error_messages={"required": _("Say what the card offers or "
                                                          "needs: the label is empty.")})
    quantity = AmountField(label=_("Quantity per year"), places=3)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=20)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    resource_class = forms.CharField(required=False, max_length=100,
                                     widget=forms.HiddenInput)
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_label(self) -> str:
        label = " ".join((self.cleaned_data.get("label") or "").split())
        if not label:
            raise forms.ValidationError(gettext("Say what the card offers or needs: the "
                                                "label is empty."))
        return label

    def clean_unit(self) -> str:
        unit = (self.cleaned_data.get("unit") or "").strip()
        if not unit:
            return ""
        try:
            return unit_normalize(unit)
        except UnknownUnitError as unknown:
            raise forms.ValidationError(unknown_message(unknown, unit=True)) from unknown

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("quantity") is not None and not data.get("unit") \
                and "unit" not in self.errors:
            self.add_error("unit", gettext("Give the unit of the quantity."))
        return data

    def card_data(self) -> dict[str, Any]:
        """The card's fields, its kind read from the class chosen or suggested."""
        data = {k: self.cleaned_data[k] for k in
                ("side", "label", "quantity", "unit", "note", "resource_class")}
        if not data["resource_class"]:
            found = classify(label=data["label"])
            data["resource_class"] = found.class_id if found.classified else ""
        data["kind"] = class_kind(data["resource_class"]) \
            if class_kind(data["resource_class"]) in Resource.Kind.values else ""
        return data


def interest_levels() -> list[tuple[int, str]]:
    """The marks a participant may give a pair, each with what a screen reader says of
    its button: translated once per page, not once per button of every pair."""
    return [(level, gettext("interest %(level)s of 3") % {"level": level})
            for level in range(4)]  # InterestForm's choices: 0 (none) to 3


class InterestForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Interest"), coerce=int,
        choices=[(0, _("0 — none")), (1, _("1 — to look at")), (2, _("2 — interested")),
                 (3, _("3 — let us meet"))])


class KeepForm(forms.Form):
    pairs = forms.TypedMultipleChoiceField(label=_("Pairs to keep"), coerce=int, choices=[],
                                           error_messages={"required": _(
                                               "Tick at least one pair to keep.")})

    def __init__(self, *args: Any, pair_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pairs"].choices = [(p, str(p)) for p in pair_ids]  # type: ignore[attr-defined]
