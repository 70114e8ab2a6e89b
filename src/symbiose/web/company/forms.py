"""The company space's forms: a figure its company declares for one of its synergies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from symbiose.web.ledger.forms import DeclareForm
from symbiose.web.territory.models import Actor


class CompanyDeclareForm(DeclareForm):
    """The ledger's declaration, for the member's own companies in the synergy only; a
    member of one company of the synergy declares for it without choosing."""

    replace_verified = forms.BooleanField(
        label=_("Replace the verified figure with mine"), required=False,
        help_text=_("Only when this figure was already verified: yours becomes the current "
                    "figure until it is verified again; the verified one stays in the "
                    "history."))

    def __init__(self, *args: Any, actors: list[Actor], **kwargs: Any) -> None:
        super().__init__(*args, actors=actors, **kwargs)
        field = self.fields["declared_by"]
        field.required = True
        field.label = _("For the company")
        if len(actors) == 1:
            field.initial = actors[0].pk
            field.widget = forms.HiddenInput()
        self.fields["value"].widget.attrs["inputmode"] = "decimal"
        self.fields["year"].widget.attrs["inputmode"] = "numeric"
