"""Pages of the business meetings events: the list, an event's page, its settings and
its participants.

Thin views: reads through `selectors` (which ask `visibility`), writes through
`services` and `scheduling`. A page the reader may not see answers 404. Requests are in
`views_requests`, the grid in `views_grid`, agendas and outcomes in `views_agenda`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.meetings import selectors, services
from symbiose.web.meetings.forms import EventForm, ParticipantAddForm, UnavailableForm
from symbiose.web.meetings.models import MeetingEvent, Participant
from symbiose.web.meetings.pages import event_of
from symbiose.web.meetings.visibility import acting_for
from symbiose.web.submissions.once import FIELD as ONCE_FIELD
from symbiose.web.submissions.once import once_token, once_write
from symbiose.web.territory.access import Viewer, viewer_or_404
from symbiose.web.territory.forms import form_refusal
from symbiose.web.territory.models import Actor


@login_required
@require_GET
def event_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    return render(request, "meetings/event_list.html", {
        "territory": viewer.territory, "viewer": viewer,
        "events": selectors.event_list(viewer=viewer)})


def _event_context(viewer: Viewer, event: MeetingEvent, **extra: Any) -> dict[str, Any]:
    participants = selectors.participant_rows(viewer=viewer, event=event)
    taking_part = {p.actor_id for p in participants}
    context: dict[str, Any] = {
        "territory": viewer.territory, "viewer": viewer, "event": event,
        "participants": participants,
        "requests": selectors.request_rows(viewer=viewer, event=event),
        "requests_open": selectors.requests_open(event=event),
        "counts": selectors.outcome_counts(viewer=viewer, event=event),
        "mine": sorted(acting_for(viewer=viewer, event=event)) if not viewer.sees_all
        else [],
        **extra,
    }
    if viewer.sees_all:
        others = (Actor.objects.filter(territory=viewer.territory)
                  .exclude(pk__in=taking_part).order_by("name").values_list("id", "name"))
        context.setdefault("add_form", ParticipantAddForm(choices=list(others)))
    return context


@login_required
@require_GET
def event_detail(request: AuthenticatedHttpRequest, slug: str, event_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    event = event_of(viewer, event_id)
    return render(request, "meetings/event_detail.html", _event_context(viewer, event))


@login_required
def event_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False, facilitator=True)
    form = EventForm(request.POST or None)
    token = request.POST.get(ONCE_FIELD) or once_token()
    if request.method == "POST" and form.is_valid():
        done = once_write(
            token=token, user=request.user,
            write=lambda: services.event_create(territory=viewer.territory,
                                                data=form.cleaned_data, by=request.user),
            result_url=lambda event: reverse("meetings:event", args=[slug, event.pk]),
            fallback_url=reverse("meetings:events", args=[slug]))
        if not done.repeated:
            messages.success(request, gettext("The event was created; add its participants."))
        return redirect(done.url)
    return render(request, "meetings/event_form.html", {
        "territory": viewer.territory, "viewer": viewer, "form": form, "token": token,
        "once_field": ONCE_FIELD}, status=400 if form.errors else 200)


@login_required
def event_edit(request: AuthenticatedHttpRequest, slug: str, event_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False, facilitator=True)
    event = event_of(viewer, event_id)
    form = EventForm(request.POST or None, instance=None if request.POST else event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, data=form.cleaned_data, by=request.user)
        except services.MeetingRefused as refused:
            form_refusal(form, refused)
        else:
            messages.success(request, gettext("The event was saved."))
            return redirect("meetings:event", slug=slug, event_id=event.pk)
    return render(request, "meetings/event_form.html", {
        "territory": viewer.territory, "viewer": viewer, "form": form, "event": event},
        status=400 if form.errors else 200)


def _actor(viewer: Viewer, actor_id: int) -> Actor:
    found = Actor.objects.filter(territory=viewer.territory, pk=actor_id).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def participant_add(request: AuthenticatedHttpRequest, slug: str, event_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False, facilitator=True)
    event = event_of(viewer, event_id)
    choices = list(Actor.objects.filter(territory=viewer.territory).values_list("id", "name"))
    form = ParticipantAddForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            services.participant_add(event=event, actor=_actor(viewer, form.cleaned_data["actor"]),
                                     by=request.user)
        except services.MeetingRefused as refused:
            form_refusal(form, refused)
        else:
            return redirect(reverse("meetings:event", args=[slug, event.pk]) + "#participants")
    return render(request, "meetings/event_detail.html",
                  _event_context(viewer, event, add_form=form), status=400)


@login_required
@require_POST
def participant_remove(request: AuthenticatedHttpRequest, slug: str, event_id: int,
                       participant_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False, facilitator=True)
    event = event_of(viewer, event_id)
    services.participant_remove(event=event, actor=_actor(viewer, participant_id),
                                by=request.user)
    return redirect(reverse("meetings:event", args=[slug, event.pk]) + "#participants")


@login_required
def participant_unavailable(request: AuthenticatedHttpRequest, slug: str, event_id: int,
                            participant_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False, facilitator=True)
    event = event_of(viewer, event_id)
    participant = Participant.objects.filter(event=event, actor_id=participant_id) \
        .select_related("actor").first()
    if participant is None:
        raise Http404
    choices = [(i, f"{i} · {start:%H:%M}–{end:%H:%M}") for i, (start, end) in
               enumerate(selectors.slot_times(event), start=1)]
    form = UnavailableForm(request.POST or None, choices=choices,
                           initial={"slots": participant.unavailable})
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_unavailable_set(event=event, actor=participant.actor,
                                                 slots=form.cleaned_data["slots"],
                                                 by=request.user)
        except services.MeetingRefused as refused:
            form_refusal(form, refused)
        else:
            messages.success(request, gettext("The unavailable slots of %(name)s were saved.")
                             % {"name": participant.actor.name})
            return redirect(reverse("meetings:event", args=[slug, event.pk]) + "#participants")
    return render(request, "meetings/unavailable_form.html", {
        "territory": viewer.territory, "viewer": viewer, "event": event,
        "participant": participant, "form": form}, status=400 if form.errors else 200)

