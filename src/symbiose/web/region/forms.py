"""The practice sheet's form (the texts a facilitator writes, and who agreed to be named),
and the forms the instance administrator sets a region up with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from symbiose.web.region.models import PracticeSheet, RegionRole
from symbiose.web.territory.models import Actor, Territory


class SheetForm(forms.ModelForm):
    named_actors = forms.ModelMultipleChoiceField(
        queryset=Actor.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Companies that agreed to be named, with their contacts"))

    class Meta:
        model = PracticeSheet
        fields = ["title", "exchanged", "method", "figures_note", "obstacles", "contacts"]
        widgets = {name: forms.Textarea(attrs={"rows": 4})
                   for name in ("exchanged", "method", "obstacles")} | {
            "figures_note": forms.Textarea(attrs={"rows": 2}),
            "contacts": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, actors: list[Actor], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        named = self.fields["named_actors"]
        assert isinstance(named, forms.ModelMultipleChoiceField)
        named.queryset = Actor.objects.filter(pk__in=[a.pk for a in actors]).order_by("name")
        if self.instance.pk:
            named.initial = list(self.instance.named_actors.values_list("pk", flat=True))


class CrossingAgreementForm(forms.Form):
    side = forms.ChoiceField(choices=[("supplier", "supplier"), ("receiver", "receiver")])
    agreed = forms.BooleanField(required=False)


# --- setting a region up (the instance administrator) ---------------------------------

class RegionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Address"), max_length=200,
                           help_text=_("Letters, digits and hyphens: the region's pages are "
                                       "at /r/<address>/."))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class TerritoryAttachForm(forms.Form):
    territory = forms.ModelChoiceField(queryset=Territory.objects.order_by("name"),
                                       label=_("Territory"), to_field_name="slug",
                                       error_messages={"invalid_choice": _(
                                           "No territory has that address.")})


class MemberForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=RegionRole.choices)

    def clean_username(self) -> AbstractBaseUser:
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No active user is named “%(username)s”: check the spelling, or create "
                  "the account first."), params={"username": username})
        return user
