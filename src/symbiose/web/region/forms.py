"""The practice sheet's form: the texts a facilitator writes, and who agreed to be named."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from symbiose.web.region.models import PracticeSheet
from symbiose.web.territory.models import Actor


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
