"""Pages of a workshop for the facilitator and the members of participating companies:
the list, the preparation, the room, the projector and the results.

Thin views: reads through `selectors` and `visibility`, writes through `services`. A page
the reader may not see answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.submissions.once import FIELD as ONCE_FIELD
from symbiose.web.submissions.once import once_token, once_write
from symbiose.web.territory.access import Viewer, viewer_or_404
from symbiose.web.workshops import selectors, services, visibility
from symbiose.web.workshops.access import acting_or_404, workshop_or_404
from symbiose.web.workshops.forms import (
    CardForm,
    InterestForm,
    InviteForm,
    KeepForm,
    TableForm,
    WorkshopForm,
    WorkshopStateForm,
    interest_levels,
)
from symbiose.web.workshops.models import Workshop

ROOM_PAIRS = 60
PROJECTOR_PAIRS = 12  # what a projected screen can show legibly
RESULTS_PAIRS = 150


def _detail_url(workshop: Workshop) -> str:
    return reverse("workshops:detail", args=[workshop.territory.slug, workshop.pk])


@login_required
@require_http_methods(["GET", "POST"])
def workshop_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    form = WorkshopForm(request.POST or None) if viewer.sees_all else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = {**form.cleaned_data}
            done = once_write(
                token=request.POST.get(ONCE_FIELD, ""), user=request.user,
                write=lambda: services.workshop_create(territory=viewer.territory, data=data,
                                                       by=request.user),
                result_url=_detail_url, fallback_url=request.path)
            return redirect(done.url)
    workshops = visibility.workshop_list_visible(viewer=viewer)
    return render(request, "workshops/workshop_list.html", {
        "territory": viewer.territory, "viewer": viewer, "workshops": workshops,
        "form": form, "once": once_token()})


@login_required
@require_GET
def workshop_detail(request: AuthenticatedHttpRequest, slug: str,
                    workshop_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    workshop = workshop_or_404(viewer, workshop_id)
    context: dict[str, Any] = {"territory": viewer.territory, "viewer": viewer,
                               "workshop": workshop}
    if viewer.sees_all:
        context.update(
            participants=selectors.workshop_participants(workshop=workshop),
            tables=workshop.tables.all(), invite_form=InviteForm(workshop=workshop),
            table_form=TableForm(), state_form=WorkshopStateForm(
                initial={"state": workshop.state}))
    else:
        context["participants"] = visibility.participants_own(viewer=viewer,
                                                              workshop=workshop)
    return render(request, "workshops/workshop_detail.html", context)


@login_required
@require_POST
def workshop_state(request: AuthenticatedHttpRequest, slug: str,
                   workshop_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    workshop = workshop_or_404(viewer, workshop_id, manage=True)
    form = WorkshopStateForm(request.POST)
    if form.is_valid():
        services.workshop_update(workshop=workshop, data=form.cleaned_data, by=request.user)
        messages.success(request, gettext("The workshop is now “%(state)s”.")
                         % {"state": workshop.get_state_display()})
    return redirect(_detail_url(workshop))


@login_required
@require_POST
def table_add(request: AuthenticatedHttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    workshop = workshop_or_404(viewer, workshop_id, manage=True)
    form = TableForm(request.POST)
    if form.is_valid():
        try:
            services.table_create(workshop=workshop, theme=form.cleaned_data["theme"],
                                  host=form.cleaned_data["host"], by=request.user)
        except services.WorkshopRefused as refused:
            messages.error(request, str(refused))
    else:
        messages.error(request, gettext("Give the table's theme."))
    return redirect(_detail_url(workshop))


@login_required
@require_POST
def invite(request: AuthenticatedHttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    workshop = workshop_or_404(viewer, workshop_id, manage=True)
    form = InviteForm(request.POST, workshop=workshop)
    if form.is_valid():
        invited = services.participants_invite(
            workshop=workshop, actors=form.cleaned_data["actors"],
            table=form.cleaned_data["table"], by=request.user)
        messages.success(request, ngettext("%(n)d participant invited, cards pre-filled.",
                                           "%(n)d participants invited, cards pre-filled.",
                                           len(invited)) % {"n": len(invited)})
    else:
        messages.error(request, gettext("Choose at least one actor of the territory."))
    return redirect(_detail_url(workshop))


def _room_context(request: HttpRequest, viewer: Viewer, workshop: Workshop,
                  card_form: CardForm | None = None) -> dict[str, Any]:
    acting = (selectors.workshop_participants(workshop=workshop) if viewer.sees_all
              else visibility.participants_own(viewer=viewer, workshop=workshop))
    own_ids = None if viewer.sees_all else {p.pk for p in acting}
    # The room's side panel shows the best pairs; the results page has them all.
    pairs, pair_count = selectors.pairs_top(workshop=workshop, participant_ids=own_ids,
                                            limit=ROOM_PAIRS)
    return {"territory": viewer.territory, "viewer": viewer, "workshop": workshop,
            "themes": selectors.room_cards(workshop=workshop),
            "pairs": pairs, "pair_count": pair_count, "acting": acting,
            "own_ids": own_ids,
            "card_form": card_form or CardForm(initial={"client_key": once_token(),
                                                        "side": "out"}),
            "levels": interest_levels()}


@login_required
@require_GET
def room(request: AuthenticatedHttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    workshop = workshop_or_404(viewer, workshop_id)
    return render(request, "workshops/room.html", _room_context(request, viewer, workshop))


@login_required
@require_POST
def card_add(request: AuthenticatedHttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    workshop = workshop_or_404(viewer, workshop_id)
    participant = acting_or_404(viewer, workshop, request.POST.get("participant"))
    form = CardForm(request.POST)
    if form.is_valid():
        try:
            services.card_add(participant=participant, data=form.card_data(),
                              client_key=form.cleaned_data["client_key"], by=request.user)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, gettext("Card added."))
            return redirect(reverse("workshops:room", args=[slug, workshop.pk]))
    context = _room_context(request, viewer, workshop, card_form=form)
    return render(request, "workshops/room.html", context, status=400)


@login_required
@require_POST
def interest(request: AuthenticatedHttpRequest, slug: str, workshop_id: int,
             pair_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    workshop = workshop_or_404(viewer, workshop_id)
    participant = acting_or_404(viewer, workshop, request.POST.get("participant"))
    pair = selectors.pair_get(workshop=workshop, pair_id=pair_id)
    form = InterestForm(request.POST)
    if pair is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, gettext("An interest goes from 0 (none) to 3 (strong)."))
    else:
        try:
            services.interest_set(participant=participant, pair=pair,
                                  level=form.cleaned_data["level"])
        except services.WorkshopRefused as refused:
            messages.error(request, str(refused))
    return redirect(reverse("workshops:room", args=[slug, workshop.pk]) + f"#pair-{pair.pk}")


@login_required
@require_GET
def projector(request: AuthenticatedHttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    workshop = workshop_or_404(viewer, workshop_id)
    context = {"territory": viewer.territory, "viewer": viewer, "workshop": workshop,
               "themes": selectors.room_cards(workshop=workshop),
               "pairs": selectors.pairs_top(workshop=workshop, limit=PROJECTOR_PAIRS,
                                            interested_only=True)[0]}
    if request.headers.get("HX-Request") == "true":
        return render(request, "workshops/_projector_board.html", context)
    return render(request, "workshops/projector.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def results(request: AuthenticatedHttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    workshop = workshop_or_404(viewer, workshop_id, manage=True)
    # The page opens on the most wanted pairs (those with interest come first), the
    # others one click away; what is posted is checked against them all.
    every = request.method == "POST" or request.GET.get("all") == "1"
    pairs, pair_count = selectors.pairs_top(workshop=workshop,
                                            limit=None if every else RESULTS_PAIRS)
    form = KeepForm(request.POST or None, pair_ids=[row.pair.pk for row in pairs])
    if request.method == "POST" and form.is_valid():
        chosen = [row.pair for row in pairs if row.pair.pk in set(form.cleaned_data["pairs"])]
        kept = services.pairs_keep(workshop=workshop, pairs=chosen, by=request.user)
        created = sum(1 for k in kept if k.created)
        messages.success(request, gettext(
            "%(kept)d pair(s) kept: %(created)d new proposal(s) at stage “idea”, "
            "%(existing)d already in the catalogue.") % {
                "kept": len(kept), "created": created, "existing": len(kept) - created})
        return redirect(reverse("workshops:results", args=[slug, workshop.pk]))
    return render(request, "workshops/results.html", {
        "territory": viewer.territory, "viewer": viewer, "workshop": workshop,
        "pairs": pairs, "pair_count": pair_count, "form": form},
        status=400 if form.errors else 200)


@login_required
@require_GET
def participants_print(request: AuthenticatedHttpRequest, slug: str,
                       workshop_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    workshop = workshop_or_404(viewer, workshop_id, manage=True)
    return render(request, "workshops/participants_print.html", {
        "territory": viewer.territory, "viewer": viewer, "workshop": workshop,
        "participants": selectors.workshop_participants(workshop=workshop)})
