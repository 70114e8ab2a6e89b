"""The ledger's forms: they read and type the input; the services say what is refused."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from symbiose.core.ledger import METRICS
from symbiose.web.ledger.models import Metric, ReportRun
from symbiose.web.territory.models import Actor


class DeclareForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    metric = forms.ChoiceField(label=_("Figure"), choices=Metric.choices)
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=4)
    unit = forms.CharField(label=_("Unit"), max_length=20,
                           help_text=_("t, kg, tCO2e, EUR, FTE, m3, MWh…"))
    declared_by = forms.ModelChoiceField(label=_("Declared by (company)"),
                                         queryset=Actor.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))

    def __init__(self, *args: Any, actors: list[Actor], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["declared_by"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Actor.objects.filter(pk__in=[a.pk for a in actors])
        self.fields["unit"].widget.attrs["list"] = "ledger-units"

    @staticmethod
    def units() -> list[str]:
        return sorted({m.unit for m in METRICS.values()})


class VerifyForm(forms.Form):
    verifier = forms.CharField(label=_("Verified by"), max_length=200, required=False)
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}), help_text=_("An invoice, a weighing record, an audit report…"))


class ScoreForm(forms.Form):
    indicator = forms.CharField(widget=forms.HiddenInput)
    score = forms.IntegerField(label=_("Score (0-4)"))
    comment = forms.CharField(label=_("Comment"), required=False)


class IndicatorForm(forms.Form):
    code = forms.SlugField(label=_("Identifier"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=[
        ("qualitative", _("Qualitative (scored 0-4)")), ("funnel", _("Count"))])
    label = forms.CharField(label=_("Label"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=30)
    definition = forms.CharField(label=_("Definition"), widget=forms.Textarea(
        attrs={"rows": 2}))
    filled_by = forms.CharField(label=_("Computed how, or filled by whom"), max_length=200)
    source = forms.CharField(label=_("Source"), max_length=200)


class ReportForm(forms.Form):
    """What the ledger page's report button asks for: a year, a format, a language."""

    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    fmt = forms.ChoiceField(label=_("Format"), choices=ReportRun.Format.choices)
    language = forms.ChoiceField(label=_("Language"),
                                 choices=[("fr", _("French")), ("en", _("English"))])
