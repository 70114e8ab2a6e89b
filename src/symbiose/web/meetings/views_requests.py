"""Requesting a business meeting, and answering one.

`meetings:request_create` is the address other pages link to: `?from=<actor id>&to=<actor
id>` (and `&proposal=<id>`, `&event=<id>`). Without an event it offers the events still
open to requests where both take part, or goes straight to the only one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.meetings import selectors, services
from symbiose.web.meetings.forms import AnswerForm, RequestForm
from symbiose.web.meetings.models import MeetingEvent
from symbiose.web.meetings.pages import event_of
from symbiose.web.meetings.visibility import acting_for, request_scope_visible
from symbiose.web.submissions.once import FIELD as ONCE_FIELD
from symbiose.web.submissions.once import once_token, once_write
from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.selectors import proposal_get_visible
from symbiose.web.territory.access import Viewer, viewer_or_404
from symbiose.web.territory.forms import form_refusal
from symbiose.web.territory.models import Actor


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _proposal(viewer: Viewer, proposal_id: int | None) -> Proposal | None:
    """The proposal a request is born of, if the viewer may see both its ends named: a
    member must not learn, from a request accepted or refused, who an unnamed side is."""
    if proposal_id is None:
        return None
    found = Proposal.objects.filter(territory=viewer.territory, pk=proposal_id).first()
    if found is None or viewer.sees_all:
        return found
    try:
        shown = proposal_get_visible(viewer=viewer, proposal_id=proposal_id)
    except NoAccess:
        return None
    return found if all(side.external_id is not None for side in shown.sides) else None


def _form(viewer: Viewer, event: MeetingEvent, data: Any = None,
          initial: dict[str, Any] | None = None) -> RequestForm:
    rows = selectors.participant_rows(viewer=viewer, event=event)
    mine = acting_for(viewer=viewer, event=event)
    return RequestForm(
        data, initial=initial, events=[(event.pk, event.title)],
        requesters=[(p.actor_id, p.name) for p in rows if p.actor_id in mine],
        participants=[(p.actor_id, p.name) for p in rows])


@login_required
def request_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    source = request.POST if request.method == "POST" else request.GET
    a, b = _int(source.get("from") or source.get("requester")), \
        _int(source.get("to") or source.get("requested"))
    proposal_id = _int(source.get("proposal"))
    wanted = _int(source.get("event"))
    events = (selectors.events_open_for_pair(viewer=viewer, a=a, b=b) if a and b
              else selectors.events_open(viewer=viewer))
    event = next((e for e in events if e.pk == wanted), None)
    if event is None and wanted is not None and request.method == "POST":
        # The event chosen is no longer open (its deadline passed while the form was
        # open): the service says so beside the field.
        event = event_of(viewer, wanted)
    if event is None and len(events) == 1:
        event = events[0]
    context: dict[str, Any] = {"territory": viewer.territory, "viewer": viewer,
                               "events": events, "event": event,
                               "query": {"from": a or "", "to": b or "",
                                         "proposal": proposal_id or ""}}
    if event is None:
        return render(request, "meetings/request_choose.html", context)
    token = request.POST.get(ONCE_FIELD) or once_token()
    if request.method != "POST":
        form = _form(viewer, event, initial={"event": event.pk, "requester": a,
                                             "requested": b, "proposal": proposal_id})
    else:
        form = _form(viewer, event, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if data["requester"] not in acting_for(viewer=viewer, event=event):
                form.add_error("requester", gettext(
                    "Choose one of the participants you speak for."))
            else:
                actors = Actor.objects.filter(territory=viewer.territory)
                try:
                    done = once_write(
                        token=token, user=request.user,
                        write=lambda: services.request_create(
                            event=event, requester=actors.filter(pk=data["requester"]).first(),
                            requested=actors.filter(pk=data["requested"]).first(),
                            proposal=_proposal(viewer, data.get("proposal")), by=request.user),
                        result_url=lambda _: reverse("meetings:event", args=[slug, event.pk])
                        + "#requests",
                        fallback_url=reverse("meetings:event", args=[slug, event.pk]))
                except services.MeetingRefused as refused:
                    form_refusal(form, refused)
                else:
                    if not done.repeated:
                        messages.success(request, gettext("The request was sent."))
                    return redirect(done.url)
    context.update(form=form, token=token, once_field=ONCE_FIELD,
                   proposal=_proposal(viewer, proposal_id))
    return render(request, "meetings/request_form.html", context,
                  status=400 if form.errors else 200)


@login_required
@require_POST
def request_answer(request: AuthenticatedHttpRequest, slug: str, event_id: int,
                   request_id: int) -> HttpResponse:
    """The requested side (or the facilitator) accepts or declines."""
    viewer = viewer_or_404(request, slug, observers=False)
    event = event_of(viewer, event_id)
    found = request_scope_visible(viewer=viewer, event=event).filter(pk=request_id).first()
    if found is None or found.requested_id not in acting_for(viewer=viewer, event=event):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.request_answer(request=found, accept=form.cleaned_data["answer"] == "accept",
                                    by=request.user)
        except services.MeetingRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, gettext("Your answer was recorded."))
    return redirect(reverse("meetings:event", args=[slug, event.pk]) + f"#request-{request_id}")

