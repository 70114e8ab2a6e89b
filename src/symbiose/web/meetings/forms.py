"""Forms of the business meetings. They check the shape of what is posted; the event's
rules (deadline, participants, pairs, conflicts) are the services', whose refusals the
views put beside the field they name."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from symbiose.web.meetings.models import SLOTS_MAX, TABLES_MAX, Meeting, MeetingEvent


class EventForm(forms.ModelForm):
    class Meta:
        model = MeetingEvent
        fields = ["title", "date", "place", "start_time", "slot_minutes", "slots", "tables",
                  "request_deadline"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "request_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                    format="%Y-%m-%dT%H:%M"),
            "slots": forms.NumberInput(attrs={"min": 1, "max": SLOTS_MAX}),
            "tables": forms.NumberInput(attrs={"min": 1, "max": TABLES_MAX}),
        }


class ParticipantAddForm(forms.Form):
    actor = forms.TypedChoiceField(label=_("Actor"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["actor"]).choices = [
            ("", _("Choose an actor…")), *choices]


class UnavailableForm(forms.Form):
    slots = forms.TypedMultipleChoiceField(label=_("Unavailable slots"), coerce=int,
                                           required=False,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedMultipleChoiceField, self.fields["slots"]).choices = choices


class RequestForm(forms.Form):
    """Who asks whom, at which event. The choices are the viewer's; an id outside them
    reaches the service, which says why beside the field."""

    event = forms.IntegerField(label=_("Event"), widget=forms.Select)
    requester = forms.IntegerField(label=_("From"), widget=forms.Select)
    requested = forms.IntegerField(label=_("Meet"), widget=forms.Select)
    proposal = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, events: list[tuple[int, str]],
                 requesters: list[tuple[int, str]], participants: list[tuple[int, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].widget.choices = events
        self.fields["requester"].widget.choices = requesters
        self.fields["requested"].widget.choices = [
            ("", _("Choose a participant…")), *participants]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class PlaceForm(forms.Form):
    """A slot and a table for a meeting moved or placed by hand."""

    slot = forms.IntegerField(label=_("Slot"), min_value=1, max_value=SLOTS_MAX)
    table = forms.IntegerField(label=_("Table"), min_value=1, max_value=TABLES_MAX)
    confirmed = forms.BooleanField(
        label=_("Place it even though a participant said it is unavailable"), required=False)


class LockForm(forms.Form):
    locked = forms.BooleanField(required=False)


class PublishForm(forms.Form):
    state = forms.ChoiceField(choices=[c for c in MeetingEvent.State.choices
                                       if c[0] != MeetingEvent.State.DRAFT])


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", _("Not recorded")), *Meeting.Outcome.choices])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
