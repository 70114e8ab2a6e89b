"""A participant's agenda (phone page, printable page, .ics file) and the outcomes of
its meetings after the day."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.meetings import selectors, services
from symbiose.web.meetings.forms import OutcomeForm
from symbiose.web.meetings.ics import agenda_ics
from symbiose.web.meetings.models import MeetingEvent
from symbiose.web.meetings.pages import event_of
from symbiose.web.meetings.visibility import acting_for, agenda_visible, meeting_scope_visible
from symbiose.web.territory.access import Viewer, viewer_or_404
from symbiose.web.territory.forms import form_refusal
from symbiose.web.territory.models import Actor


def _agenda(request: AuthenticatedHttpRequest, slug: str, event_id: int,
            participant_id: int) -> tuple[Viewer, MeetingEvent, Actor, dict[str, Any]]:
    viewer = viewer_or_404(request, slug, observers=False)
    event = event_of(viewer, event_id)
    if not agenda_visible(viewer=viewer, event=event, actor_id=participant_id):
        raise Http404
    actor = Actor.objects.only("id", "name").get(pk=participant_id)
    rows = selectors.agenda_rows(viewer=viewer, event=event, actor_id=participant_id)
    return viewer, event, actor, {
        "territory": viewer.territory, "viewer": viewer, "event": event, "actor": actor,
        "rows": rows, "changed": any(r.changed for r in rows)}


@login_required
@require_GET
def agenda(request: AuthenticatedHttpRequest, slug: str, event_id: int,
           participant_id: int) -> HttpResponse:
    *_, context = _agenda(request, slug, event_id, participant_id)
    return render(request, "meetings/agenda.html", context)


@login_required
@require_GET
def agenda_print(request: AuthenticatedHttpRequest, slug: str, event_id: int,
                 participant_id: int) -> HttpResponse:
    *_, context = _agenda(request, slug, event_id, participant_id)
    return render(request, "meetings/agenda_print.html", context)


@login_required
@require_GET
def agenda_file(request: AuthenticatedHttpRequest, slug: str, event_id: int,
                participant_id: int) -> HttpResponse:
    _, event, actor, context = _agenda(request, slug, event_id, participant_id)
    body = agenda_ics(event=event, participant=actor.name, rows=context["rows"],
                      host=request.get_host().split(":")[0] or "symbiose")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    name = slugify(f"{event.title}-{actor.name}") or "agenda"
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@login_required
def meeting_outcome(request: AuthenticatedHttpRequest, slug: str, event_id: int,
                    meeting_id: int) -> HttpResponse:
    """Held, no-show or follow-up wanted: the facilitator or either participant."""
    viewer = viewer_or_404(request, slug, observers=False)
    event = event_of(viewer, event_id)
    meeting = meeting_scope_visible(viewer=viewer, event=event).filter(pk=meeting_id) \
        .select_related("a", "b").first()
    mine = acting_for(viewer=viewer, event=event)
    if meeting is None or not ({meeting.a_id, meeting.b_id} & mine):
        raise Http404
    back = _back(viewer, event, meeting.a_id, meeting.b_id, mine)
    form = OutcomeForm(request.POST or None, initial={
        "outcome": meeting.outcome, "note": meeting.outcome_note})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_outcome_set(meeting=meeting, outcome=form.cleaned_data["outcome"],
                                         note=form.cleaned_data["note"], by=request.user)
        except services.MeetingRefused as refused:
            form_refusal(form, refused)
        else:
            messages.success(request, gettext("The outcome was recorded."))
            return redirect(back)
    return render(request, "meetings/outcome_form.html", {
        "territory": viewer.territory, "viewer": viewer, "event": event,
        "meeting": meeting, "form": form, "back": back},
        status=400 if form.errors else 200)


def _back(viewer: Viewer, event: MeetingEvent, a: int, b: int, mine: set[int]) -> str:
    if viewer.sees_all:
        return reverse("meetings:grid", args=[viewer.territory.slug, event.pk])
    own = a if a in mine else b
    return reverse("meetings:agenda", args=[viewer.territory.slug, event.pk, own])
