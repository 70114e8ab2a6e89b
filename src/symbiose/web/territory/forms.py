"""Forms of the territory pages: they validate and normalise what was typed; services
write. Every refusal is a message beside its field, in the reader's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from symbiose.core.classes import resource_classes
from symbiose.core.errors import UnknownCodeError, UnknownUnitError
from symbiose.core.nomenclature.ewc import ewc_lookup
from symbiose.core.nomenclature.naf import naf_lookup
from symbiose.core.nomenclature.units import unit_normalize
from symbiose.web.accounts.models import Role
from symbiose.web.submissions import once, stale
from symbiose.web.territory.amounts import AmountField
from symbiose.web.territory.models import Actor, Resource, Territory
from symbiose.web.territory.suggestions import class_choices


def unknown_message(error: UnknownCodeError | UnknownUnitError, *, unit: bool = False) -> str:
    what = (gettext("Unknown unit “%(value)s”.") if unit
            else gettext("Unknown code “%(value)s”.")) % {"value": error.value}
    if error.suggestions:
        what += " " + gettext("Did you mean %(suggestions)s?") % {
            "suggestions": ", ".join(error.suggestions)}
    return what


def siret_valid(digits: str) -> bool:
    """14 digits passing the Luhn check; La Poste's offices (SIREN 356000000) may instead
    have a digit sum divisible by 5, an exception the INSEE documents."""
    if len(digits) != 14 or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char) * (2 if position % 2 else 1)
        total += n - 9 if n > 9 else n
    if total % 10 == 0:
        return True
    return digits.startswith("356000000") and sum(int(d) for d in digits) % 5 == 0


class ActorForm(forms.Form):
    """An actor's identity and place; the commune and the zone are picked among the
    territory's or typed new (created on save)."""

    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Actor.Kind.choices],
                             required=False)
    naf_code = forms.CharField(label=_("NAF code"), max_length=10, required=False,
                               help_text=_("For example 10.51A or 1051A."))
    siret = forms.CharField(label=_("SIRET"), max_length=20, required=False,
                            help_text=_("14 digits."))
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    commune = forms.CharField(label=_("Commune"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"list": "communes"}))
    zone = forms.CharField(label=_("Activity zone"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"list": "zones"}))
    latitude = forms.DecimalField(label=_("Latitude"), min_value=-90, max_value=90,
                                  max_digits=9, decimal_places=6, required=False,
                                  localize=True)
    longitude = forms.DecimalField(label=_("Longitude"), min_value=-180, max_value=180,
                                   max_digits=9, decimal_places=6, required=False,
                                   localize=True)
    employees = forms.IntegerField(label=_("Employees"), min_value=0, required=False)
    engagement = forms.ChoiceField(label=_("Engagement"),
                                   choices=[("", "—"), *Actor.Engagement.choices],
                                   required=False)
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)
    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)

    EDITED = ("name", "kind", "naf_code", "siret", "address", "commune", "zone", "latitude",
              "longitude", "employees", "engagement")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["latitude"].error_messages.update({
            "min_value": _("A latitude lies between -90 and 90."),
            "max_value": _("A latitude lies between -90 and 90.")})
        self.fields["longitude"].error_messages.update({
            "min_value": _("A longitude lies between -180 and 180."),
            "max_value": _("A longitude lies between -180 and 180.")})
        if not self.is_bound and not self.initial.get("submission_token"):
            self.initial["submission_token"] = once.once_token()

    def clean_naf_code(self) -> str:
        text: str = self.cleaned_data["naf_code"].strip()
        if not text:
            return ""
        try:
            return naf_lookup(text).code
        except UnknownCodeError as error:
            raise forms.ValidationError(unknown_message(error)) from error

    def clean_siret(self) -> str:
        digits = "".join(self.cleaned_data["siret"].split())
        if digits and not siret_valid(digits):
            raise forms.ValidationError(
                _("A SIRET has 14 digits and a valid check digit; this one is not valid."))
        return digits

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"]).strip()

    def clean_commune(self) -> str:
        return " ".join(self.cleaned_data["commune"].split())

    def clean_zone(self) -> str:
        return " ".join(self.cleaned_data["zone"].split())


def _class_select_choices() -> list[Any]:
    return [("", gettext("— from the label —")), *class_choices()]


class ResourceFieldsMixin(forms.Form):
    """The fields that normalise codes and units, shared by the entry and the edit."""

    def clean_unit(self) -> str:
        text: str = self.cleaned_data.get("unit", "").strip()
        if not text:
            return ""
        try:
            return unit_normalize(text)
        except UnknownUnitError as error:
            raise forms.ValidationError(unknown_message(error, unit=True)) from error

    def clean_ewc_code(self) -> str:
        text: str = self.cleaned_data.get("ewc_code", "").strip()
        if not text:
            return ""
        try:
            return ewc_lookup(text).code
        except UnknownCodeError as error:
            raise forms.ValidationError(unknown_message(error)) from error

    def clean_resource_class(self) -> str:
        class_id: str = self.cleaned_data.get("resource_class", "")
        if class_id and class_id not in resource_classes():
            raise forms.ValidationError(_("Choose a class from the list."))
        return class_id


class ResourceEntryForm(ResourceFieldsMixin):
    """A new line of a flow balance, typed during a company visit: label first."""

    label = forms.CharField(label=_("What"), max_length=500, widget=forms.TextInput(attrs={
        "autofocus": True, "autocomplete": "off",
        "placeholder": _("e.g. wooden pallets, spent grain, waste heat")}))
    direction = forms.ChoiceField(label=_("Direction"), choices=[
        ("out", _("Output (offered, rejected)")), ("in", _("Input (consumed, needed)"))],
        widget=forms.RadioSelect, initial="out")
    quantity = AmountField(label=_("Quantity"), max_digits=24, places=6)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "t, kg, m3, MWh…"}))
    period = forms.ChoiceField(label=_("Period"), choices=Resource.Period.choices,
                               initial=Resource.Period.YEAR)
    confidentiality = forms.ChoiceField(label=_("Confidentiality"),
                                        choices=Resource.Confidentiality.choices,
                                        initial=Resource.Confidentiality.PRIVATE)
    resource_class = forms.ChoiceField(label=_("Resource class"), required=False,
                                       choices=_class_select_choices)
    ewc_code = forms.CharField(label=_("EWC code"), max_length=12, required=False,
                               widget=forms.TextInput(attrs={"placeholder": "15 01 03"}))
    cost_eur = AmountField(label=_("Annual cost (€)"), max_digits=16, places=2)
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("submission_token"):
            self.initial["submission_token"] = once.once_token()


class ResourceEditForm(ResourceFieldsMixin):
    """The fields of a flow-balance line its actor keeps up to date, with the class to
    correct and the version the form was opened on."""

    label = forms.CharField(label=_("Label"), max_length=500)
    quantity = AmountField(label=_("Quantity"), max_digits=24, places=6)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    period = forms.ChoiceField(label=_("Period"), choices=Resource.Period.choices,
                               required=False)
    cost_eur = AmountField(label=_("Annual cost (€)"), max_digits=16, places=2)
    confidentiality = forms.ChoiceField(label=_("Confidentiality"),
                                        choices=Resource.Confidentiality.choices)
    resource_class = forms.ChoiceField(label=_("Resource class"), required=False,
                                       choices=_class_select_choices)
    ewc_code = forms.CharField(label=_("EWC code"), max_length=12, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}),
                            required=False)
    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)


STALE_FIELD = stale.FIELD
ONCE_FIELD = once.FIELD


class InviteForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"), max_length=150, regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Letters, digits and @ . + - _ only.")},
    )
    email = forms.EmailField(label=_("Email address"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    actors = forms.ModelMultipleChoiceField(
        label=_("Actors (for a company member)"), queryset=Actor.objects.none(),
        required=False, to_field_name="external_id",
    )

    def __init__(self, *args: Any, territory: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actors = self.fields["actors"]
        assert isinstance(actors, forms.ModelMultipleChoiceField)
        actors.queryset = Actor.objects.filter(territory=territory).order_by("name")

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.MEMBER and not data.get("actors"):
            self.add_error("actors", _("A company member must be tied to at least one actor."))
        return data


def form_refusal(form: forms.BaseForm, refused: Exception) -> None:
    """Put a service's refusal beside the field it names (its `field`), or above the
    form."""
    field = getattr(refused, "field", None)
    form.add_error(field if field in form.fields else None, str(refused))
