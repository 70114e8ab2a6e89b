"""Forms of the proposals catalogue, the decisions and the action programme."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from symbiose.core.classes import families
from symbiose.core.errors import UnknownUnitError
from symbiose.core.nomenclature.units import unit_normalize
from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.selectors import CatalogueFilters
from symbiose.web.territory.amounts import AmountField
from symbiose.web.territory.models import Actor, Territory, Zone

ALL = "all"


def family_choices() -> list[tuple[str, str]]:
    english = (get_language() or "fr").startswith("en")
    found = [(fid, f.label_en if english else f.label_fr) for fid, f in families().items()]
    return sorted(found, key=lambda c: c[1].lower())


class CatalogueFilterForm(forms.Form):
    """GET filters; an empty or bad value filters nothing rather than failing the page."""

    type = forms.ChoiceField(label=_("Type"), required=False)
    decision = forms.ChoiceField(label=_("Decision"), required=False)
    family = forms.ChoiceField(label=_("Resource family"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=100)
    zone = forms.TypedChoiceField(label=_("Zone"), required=False, coerce=int,
                                  empty_value=None)
    max_km = forms.DecimalField(label=_("Max. distance (km)"), required=False, min_value=0,
                                max_digits=8, decimal_places=1)
    min_score = forms.DecimalField(label=_("Min. score"), required=False, min_value=0,
                                   max_value=1, max_digits=4, decimal_places=2)

    def __init__(self, *args: Any, territory: Territory, facilitator: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["type"]).choices = [
            ("", _("All types")), *Proposal.Type.choices]
        cast(forms.ChoiceField, self.fields["decision"]).choices = [
            (Proposal.Decision.PENDING, _("To review")), (ALL, _("All decisions")),
            *[c for c in Proposal.Decision.choices if c[0] != Proposal.Decision.PENDING]]
        cast(forms.ChoiceField, self.fields["family"]).choices = [
            ("", _("All families")), *family_choices()]
        if facilitator:
            cast(forms.ChoiceField, self.fields["zone"]).choices = [
                ("", _("All zones")),
                *Zone.objects.filter(territory=territory).order_by("name")
                .values_list("id", "name")]
        else:
            # Name, zone and distance could point at an actor a member may not know.
            for name in ("actor", "zone", "max_km"):
                del self.fields[name]

    def filters(self) -> CatalogueFilters:
        data = self.cleaned_data if self.is_valid() else {
            k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        decision = data.get("decision") or Proposal.Decision.PENDING
        return CatalogueFilters(
            type=data.get("type") or "",
            decision="" if decision == ALL else decision,
            family=data.get("family") or "",
            actor=(data.get("actor") or "").strip(),
            zone=data.get("zone"),
            max_km=data.get("max_km"),
            min_score=data.get("min_score"),
        )


class DetectionForm(forms.Form):
    radius_km = forms.DecimalField(
        label=_("Search radius (km)"), min_value=Decimal("0.5"), max_value=500,
        max_digits=6, decimal_places=1, initial=50)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Proposal.Decision.choices)
    drop_reason = forms.ChoiceField(
        label=_("Reason"), required=False,
        choices=[("", _("Choose a reason…")), *Proposal.DropReason.choices])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    duplicate_of = forms.IntegerField(label=_("Duplicate of"), required=False, min_value=1)

    def __init__(self, *args: Any, proposal_id: int, territory: Territory,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal_id = proposal_id
        self.territory = territory
        self.duplicate: Proposal | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == Proposal.Decision.DROPPED and not data.get("drop_reason"):
            self.add_error("drop_reason", gettext("Say why the proposal is dropped."))
        if decision == Proposal.Decision.DUPLICATE:
            target = data.get("duplicate_of")
            found = (Proposal.objects.filter(territory=self.territory, pk=target)
                     .exclude(pk=self.proposal_id).first() if target else None)
            if found is None:
                self.add_error("duplicate_of",
                               gettext("Choose the proposal this one repeats."))
            elif found.decision == Proposal.Decision.DUPLICATE:
                # Two proposals marked as each other's duplicate leave neither to review:
                # a duplicate points at the one that stays.
                self.add_error("duplicate_of", gettext(
                    "#%(id)s is itself marked as a duplicate; choose the proposal that "
                    "stays.") % {"id": found.pk})
                found = None
            self.duplicate = found
        return data


ACTOR_REF = re.compile(r"\(([^()]+)\)\s*$")


def actor_find(territory: Territory, text: str) -> Actor | None:
    """The actor named by what the search field holds: "Name (identifier)", an
    identifier, or an exact name that only one actor bears."""
    text = text.strip()
    if not text:
        return None
    actors = Actor.objects.filter(territory=territory)
    ref = ACTOR_REF.search(text)
    for candidate in filter(None, (ref.group(1).strip() if ref else "", text)):
        found = actors.filter(external_id=candidate).first()
        if found is not None:
            return found
    named = list(actors.filter(name__iexact=text)[:2])
    return named[0] if len(named) == 1 else None


class ManualProposalForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=Proposal.Type.choices)
    supplier = forms.CharField(label=_("Supplier"), required=False, max_length=300)
    receiver = forms.CharField(label=_("Receiver"), required=False, max_length=300)
    members = forms.CharField(
        label=_("Members of the pooling"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One actor per line: its name or its identifier."))
    resource = forms.CharField(label=_("Resource"), max_length=500)
    quantity = AmountField(label=_("Quantity per year"), max_digits=24, places=6)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=20)
    explanation = forms.CharField(label=_("Explanation"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, territory: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.territory = territory
        self.supplier_actor: Actor | None = None
        self.receiver_actor: Actor | None = None
        self.member_actors: list[Actor] = []

    def _actor(self, name: str) -> Actor | None:
        text = self.cleaned_data.get(name) or ""
        if not text.strip():
            self.add_error(name, gettext("Choose an actor."))
            return None
        found = actor_find(self.territory, text)
        if found is None:
            self.add_error(name, gettext("No actor of this territory is called “%(name)s”; "
                                         "pick one from the suggestions.") % {"name": text})
        return found

    def clean_unit(self) -> str:
        unit = (self.cleaned_data.get("unit") or "").strip()
        if not unit:
            return ""
        try:
            return unit_normalize(unit)
        except UnknownUnitError as unknown:
            hint = ", ".join(unknown.suggestions[:3]) if unknown.suggestions else ""
            message = gettext("Unknown unit “%(unit)s”.") % {"unit": unit}
            if hint:
                message += " " + gettext("Did you mean: %(hint)s?") % {"hint": hint}
            raise forms.ValidationError(message) from unknown

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("type") == Proposal.Type.POOLING:
            lines = [line for line in (data.get("members") or "").splitlines()
                     if line.strip()]
            for line in lines:
                found = actor_find(self.territory, line)
                if found is None:
                    self.add_error("members", gettext(
                        "No actor of this territory is called “%(name)s”.") % {"name": line})
                elif found not in self.member_actors:
                    self.member_actors.append(found)
            if len(self.member_actors) < 2 and "members" not in self.errors:
                self.add_error("members", gettext("A pooling gathers at least two actors."))
        elif data.get("type"):
            self.supplier_actor = self._actor("supplier")
            self.receiver_actor = self._actor("receiver")
            if (self.supplier_actor and self.receiver_actor
                    and self.supplier_actor.pk == self.receiver_actor.pk):
                self.add_error("receiver", gettext("Choose two different actors."))
        if data.get("quantity") is not None and not data.get("unit") \
                and "unit" not in self.errors:
            self.add_error("unit", gettext("Give the unit of the quantity."))
        return data


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Proposal.Stage.choices)
    reason = forms.CharField(label=_("Why abandoned"), required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("stage") == Proposal.Stage.ABANDONED and "reason" not in self.errors \
                and not (data.get("reason") or "").strip():
            self.add_error("reason", gettext("Say why the synergy is abandoned."))
        return data


# The dates a programme's next step may take; "0001-01-01" is a typo that would flag the
# card overdue for ever.
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


class ProgrammeForm(forms.Form):
    owner = forms.CharField(label=_("Owner"), required=False, max_length=200)
    partners = forms.CharField(label=_("Partners"), required=False, max_length=500)
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=500)
    next_step_date = forms.DateField(label=_("Date of the next step"), required=False,
                                     widget=forms.DateInput(attrs={
                                         "type": "date", "min": FIRST_DAY.isoformat(),
                                         "max": LAST_DAY.isoformat()}))
    seen_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_next_step_date(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("next_step_date")
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(gettext("Give a date between 2000 and 2100."))
        return day
