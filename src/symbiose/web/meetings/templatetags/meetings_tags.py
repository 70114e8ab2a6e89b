"""Labels of the meetings' stored values, for the dataclasses the selectors return."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from symbiose.web.meetings.models import Meeting, MeetingRequest

register = template.Library()


@register.filter
def request_status(value: str) -> str:
    return str(dict(MeetingRequest.Status.choices).get(value, value))


@register.filter
def outcome_label(value: str) -> str:
    return str(dict(Meeting.Outcome.choices).get(value, value))


@register.filter
def outcome_unrecorded(counts: dict[str, int]) -> int:
    return counts.get("", 0)


@register.filter
def core_message(value: str) -> str:
    """A sentence of the core scheduler (marked with gettext_noop there) in the reader's
    language; a sentence the catalogue does not know is shown as it is."""
    return gettext(value) if value else value
