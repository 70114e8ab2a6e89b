"""Forms of the accounts pages; they validate, services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from symbiose.web.accounts.models import Role
from symbiose.web.territory.models import Actor, Territory


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
        self.fields["actors"].queryset = Actor.objects.filter(  # type: ignore[attr-defined]
            territory=territory).order_by("name")

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
