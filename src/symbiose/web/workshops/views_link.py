"""The participant's personal link: a company confirms its cards on its phone, adds
some, and says which pairs interest it, without an account. The link opens this one
participant's page and nothing else of the territory."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.submissions.once import once_token
from symbiose.web.territory.suggestions import suggest
from symbiose.web.workshops import selectors, services, visibility
from symbiose.web.workshops.forms import CardForm, InterestForm, interest_levels
from symbiose.web.workshops.models import Card, Participant


def _participant(token: str) -> Participant:
    try:
        return visibility.participant_for_token(token=token)
    except NoAccess as denied:
        raise Http404 from denied


def _home(token: str) -> str:
    return reverse("workshops:link", args=[token])


def _context(participant: Participant, card_form: CardForm | None = None) -> dict[str, Any]:
    return {"participant": participant, "workshop": participant.workshop,
            "cards": selectors.participant_cards(participant=participant),
            "pairs": selectors.pairs_ranked(workshop=participant.workshop,
                                            participant_ids={participant.pk}),
            "card_form": card_form or CardForm(initial={"client_key": once_token(),
                                                        "side": "out"}),
            "levels": interest_levels(), "token": participant.token,
            "participant_list": [participant]}


@require_GET
def link(request: HttpRequest, token: str) -> HttpResponse:
    participant = _participant(token)
    return render(request, "workshops/link.html", _context(participant))


@require_POST
def link_cards(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm the ticked cards and withdraw the others: the company's answer to the
    pre-filled cards, and its consent to show lines it had kept private."""
    participant = _participant(token)
    ticked = {int(pk) for pk in request.POST.getlist("keep") if pk.isdigit()}
    shown = set(participant.cards.exclude(status=Card.Status.WITHDRAWN)
                .values_list("pk", flat=True))
    services.cards_decide(participant=participant, confirm=ticked & shown,
                          withdraw=shown - ticked, as_company=True, by=None)
    messages.success(request, gettext("Your cards are confirmed. Thank you!"))
    return redirect(_home(token))


@require_POST
def link_card_add(request: HttpRequest, token: str) -> HttpResponse:
    participant = _participant(token)
    form = CardForm(request.POST)
    if form.is_valid():
        try:
            services.card_add(participant=participant, data=form.card_data(),
                              client_key=form.cleaned_data["client_key"], by=None)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, gettext("Card added."))
            return redirect(_home(token))
    return render(request, "workshops/link.html", _context(participant, form), status=400)


@require_POST
def link_interest(request: HttpRequest, token: str, pair_id: int) -> HttpResponse:
    participant = _participant(token)
    pair = selectors.pair_get(workshop=participant.workshop, pair_id=pair_id)
    if pair is None:
        raise Http404
    form = InterestForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("An interest goes from 0 (none) to 3 (strong)."))
    else:
        try:
            services.interest_set(participant=participant, pair=pair,
                                  level=form.cleaned_data["level"])
        except services.WorkshopRefused as refused:
            messages.error(request, str(refused))
    return redirect(_home(token) + f"#pair-{pair.pk}")


@require_GET
def link_suggest(request: HttpRequest, token: str) -> HttpResponse:
    """The class a card's label suggests, as the balance entry shows it."""
    _participant(token)
    label = request.GET.get("label", "").strip()[:300]
    return render(request, "territory/_suggestion.html", {
        "suggestion": suggest(label=label, direction=request.GET.get("side", ""))
        if label else None, "chosen": request.GET.get("resource_class", "")})
