"""The map's filters, read from the query string by the page and its data alike."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from symbiose.web.dashboard.visibility.map import MapQuery, map_families
from symbiose.web.territory.models import Territory, Zone


class MapFilterForm(forms.Form):
    zone = forms.ModelChoiceField(
        label=_("Activity zone"), queryset=Zone.objects.none(), required=False,
        empty_label=_("All zones"))
    family = forms.ChoiceField(label=_("Resource family"), required=False)
    proposal = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, territory: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone_field = self.fields["zone"]
        assert isinstance(zone_field, forms.ModelChoiceField)
        zone_field.queryset = Zone.objects.filter(territory=territory).order_by("name")
        family_field = self.fields["family"]
        assert isinstance(family_field, forms.ChoiceField)
        family_field.choices = [("", _("All families")), *map_families()]

    def query(self) -> MapQuery:
        """The valid filters; a bad value is simply not applied (its message is shown)."""
        self.is_valid()  # cleaned_data then holds the valid fields only
        data = self.cleaned_data
        zone = data.get("zone")
        return MapQuery(zone_id=zone.pk if zone else None,
                        family=data.get("family") or None,
                        proposal_id=data.get("proposal"))
