"""The facilitator's grid: schedule all, move or place a meeting by hand with its
conflicts said first, lock, publish."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.meetings import scheduling, selectors, services
from symbiose.web.meetings.forms import LockForm, PlaceForm, PublishForm
from symbiose.web.meetings.models import Meeting, MeetingEvent, MeetingRequest
from symbiose.web.meetings.pages import event_of, htmx
from symbiose.web.territory.access import Viewer, viewer_or_404
from symbiose.web.territory.forms import form_refusal


def _grid_url(slug: str, event: MeetingEvent) -> str:
    return reverse("meetings:grid", args=[slug, event.pk])


@login_required
@require_GET
def grid(request: AuthenticatedHttpRequest, slug: str, event_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False, facilitator=True)
    event = event_of(viewer, event_id)
    return render(request, "meetings/grid.html", {
        "territory": viewer.territory, "viewer": viewer, "event": event,
        "tables": range(1, event.tables + 1), "rows": selectors.grid_rows(event=event),
        "unplaced": selectors.unplaced_rows(event=event),
        "accepted": MeetingRequest.objects.filter(
            event=event, status=MeetingRequest.Status.ACCEPTED).count(),
        "states": MeetingEvent.State})


@login_required
@require_POST
def schedule(request: AuthenticatedHttpRequest, slug: str, event_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False, facilitator=True)
    event = event_of(viewer, event_id)
    try:
        agenda = scheduling.event_schedule(event=event, by=request.user)
    except services.MeetingRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, ngettext(
            "%(placed)d meeting placed, %(left)d request left out.",
            "%(placed)d meetings placed, %(left)d requests left out.",
            len(agenda.placed)) % {"placed": len(agenda.placed), "left": len(agenda.unplaced)})
        if not agenda.optimal:
            messages.warning(request, gettext(
                "The scheduler stopped at its time limit: a better agenda may exist."))
    return redirect(_grid_url(slug, event))


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, slug: str, event_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False, facilitator=True)
    event = event_of(viewer, event_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            scheduling.event_publish(event=event, state=form.cleaned_data["state"],
                                     by=request.user)
        except services.MeetingRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, gettext("The agenda is published: each participant "
                                              "now sees its meetings."))
    return redirect(_grid_url(slug, event))


def _meeting(event: MeetingEvent, meeting_id: int) -> Meeting:
    found = Meeting.objects.filter(event=event, pk=meeting_id).select_related("a", "b").first()
    if found is None:
        raise Http404
    return found


def _place_page(request: AuthenticatedHttpRequest, viewer: Viewer, event: MeetingEvent, *,
                a: Any, b: Any, current: Meeting | None, form: PlaceForm,
                action: str) -> HttpResponse:
    """The move (or place) form, with the conflicts at the slot and table asked for,
    computed as the facilitator changes them (HTMX) and again before saving."""
    conflicts: list[scheduling.Conflict] = []
    data = form.data if form.is_bound else form.initial
    slot, table = _number(data.get("slot")), _number(data.get("table"))
    if slot is not None and table is not None:
        conflicts = scheduling.conflicts_at(event=event, a_id=a.pk, b_id=b.pk, slot=slot,
                                            table=table,
                                            exclude=current.pk if current else None)
    context = {"territory": viewer.territory, "viewer": viewer, "event": event, "a": a,
               "b": b, "meeting": current, "form": form, "conflicts": conflicts,
               "action": action}
    if htmx(request) and request.method == "GET":
        return render(request, "meetings/_conflicts.html", context)
    return render(request, "meetings/place_form.html", context,
                  status=400 if form.errors else 200)


def _number(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def meeting_move(request: AuthenticatedHttpRequest, slug: str, event_id: int,
                 meeting_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False, facilitator=True)
    event = event_of(viewer, event_id)
    meeting = _meeting(event, meeting_id)
    action = reverse("meetings:move", args=[slug, event.pk, meeting.pk])
    if request.method == "POST":
        form = PlaceForm(request.POST)
        if form.is_valid():
            try:
                scheduling.meeting_move(meeting=meeting, slot=form.cleaned_data["slot"],
                                        table=form.cleaned_data["table"],
                                        confirmed=form.cleaned_data["confirmed"],
                                        by=request.user)
            except services.MeetingRefused as refused:
                form_refusal(form, refused)
            else:
                messages.success(request, gettext("The meeting was moved and locked there."))
                return redirect(_grid_url(slug, event) + f"#meeting-{meeting.pk}")
    else:
        form = PlaceForm(request.GET if "slot" in request.GET else None,
                         initial={"slot": meeting.slot, "table": meeting.table})
    return _place_page(request, viewer, event, a=meeting.a, b=meeting.b, current=meeting,
                       form=form, action=action)


@login_required
def request_place(request: AuthenticatedHttpRequest, slug: str, event_id: int,
                  request_id: int) -> HttpResponse:
    """Place by hand an accepted request the scheduler left out."""
    viewer = viewer_or_404(request, slug, observers=False, facilitator=True)
    event = event_of(viewer, event_id)
    wanted = MeetingRequest.objects.filter(
        event=event, pk=request_id, status=MeetingRequest.Status.ACCEPTED,
        meeting__isnull=True).select_related("requester", "requested").first()
    if wanted is None:
        raise Http404
    action = reverse("meetings:place", args=[slug, event.pk, wanted.pk])
    if request.method == "POST":
        form = PlaceForm(request.POST)
        if form.is_valid():
            try:
                scheduling.meeting_place(request=wanted, slot=form.cleaned_data["slot"],
                                         table=form.cleaned_data["table"],
                                         confirmed=form.cleaned_data["confirmed"],
                                         by=request.user)
            except services.MeetingRefused as refused:
                form_refusal(form, refused)
            else:
                messages.success(request, gettext("The meeting was placed and locked there."))
                return redirect(_grid_url(slug, event))
    else:
        form = PlaceForm(request.GET if "slot" in request.GET else None)
    return _place_page(request, viewer, event, a=wanted.requester, b=wanted.requested,
                       current=None, form=form, action=action)


@login_required
@require_POST
def meeting_lock(request: AuthenticatedHttpRequest, slug: str, event_id: int,
                 meeting_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False, facilitator=True)
    event = event_of(viewer, event_id)
    meeting = _meeting(event, meeting_id)
    form = LockForm(request.POST)
    if form.is_valid():
        scheduling.meeting_lock_set(meeting=meeting, locked=form.cleaned_data["locked"],
                                    by=request.user)
    return redirect(_grid_url(slug, event) + f"#meeting-{meeting.pk}")
