"""Labels of the stored choice values, for the dataclasses the visibility rules return,
and the pieces of a programme board card drawn in Python."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from symbiose.core.classes import families
from symbiose.web.synergies.models import Proposal

register = template.Library()

_CHOICES = {
    "type": Proposal.Type,
    "decision": Proposal.Decision,
    "stage": Proposal.Stage,
    "drop_reason": Proposal.DropReason,
    "origin": Proposal.Origin,
}


@register.filter
def choice_label(value: str, kind: str) -> str:
    """`{{ p.stage|choice_label:"stage" }}`: the value's label in the reader's language."""
    choices = _CHOICES.get(kind)
    if choices is None or not value:
        return value
    return str(dict(choices.choices).get(value, value))


@register.filter
def family_label(family_id: str) -> str:
    from django.utils.translation import get_language

    found = families().get(family_id)
    if found is None:
        return family_id
    return found.label_en if (get_language() or "fr").startswith("en") else found.label_fr


@register.filter
def overdue(day: datetime.date | None) -> bool:
    return day is not None and day < timezone.localdate()


@register.simple_tag
def stage_options(stages: list[tuple[str, str]], chosen: str) -> str:
    """The `<option>`s of a board card's stage picker. A board draws a hundred cards, and
    a template loop over the stages on each card cost more than the rest of the card."""
    return format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if value == chosen else "", label)
         for value, label in stages),
    )


@register.filter
def notes_for(notes: dict[int, list[str]] | str, proposal_id: int) -> list[str]:
    """`{% for n in board_notes|notes_for:p.id %}`: the lines other apps add to a card."""
    return notes.get(proposal_id, []) if isinstance(notes, dict) else []
