"""A room card as one `<li>`, drawn in Python: the room and the projector list every
card of the workshop (hundreds), and a template `{% include %}` per card made those
pages spend most of their time in the template engine."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from symbiose.web.territory.templatetags.symbiose_format import unit_label
from symbiose.web.workshops.models import Card

register = template.Library()


@register.simple_tag
def room_card(card: Card, show_company: bool = False) -> SafeString:
    """The card's label, quantity per year, company (when asked) and note."""
    parts: list[tuple[str, str]] = []
    if card.quantity is not None:
        amount = floatformat(card.quantity, "-3")
        parts.append((" <span class=\"muted\">{}</span>",
                      f"{amount} {unit_label(card.unit)}/{gettext('year')}"))
    if show_company:
        parts.append(("<br><span class=\"muted small\">{}</span>", card.participant.actor.name))
    if card.note:
        parts.append(("<br><span class=\"small\">{}</span>", card.note))
    rest = format_html_join("", "{}", ((format_html(shape, value),) for shape, value in parts))
    return format_html("<li class=\"wcard wcard-{}\" id=\"card-{}\"><strong>{}</strong>{}</li>",
                       card.side, card.pk, card.label, rest)
