"""The company's personal campaign page: last year's balance pre-filled line by line, to
confirm, change or drop, lines to add, likely flows to tick, one submission. No account
needed; phone first. After the submission the page says what was sent, and never takes a
second one."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.campaigns import selectors, services, visibility
from symbiose.web.campaigns.forms import LineForm, NewLineForm, line_forms, new_line_forms
from symbiose.web.campaigns.models import Campaign, Invitation
from symbiose.web.campaigns.submission import LineAnswer, NewLine, invitation_submit


def _invitation(token: str) -> Invitation:
    try:
        return visibility.invitation_for_token(token=token)
    except NoAccess as denied:
        raise Http404 from denied


def _page(request: HttpRequest, invitation: Invitation, context: dict[str, Any],
          status: int = 200) -> HttpResponse:
    return render(request, "campaigns/link.html", {
        "invitation": invitation, "campaign": invitation.campaign,
        "actor": invitation.actor, "token": invitation.token, **context}, status=status)


def _answers(forms: list[LineForm], prefill: selectors.Prefill) -> list[LineAnswer]:
    """A dropped line was not validated: what was typed over it does not matter."""
    answers = []
    for form, line in zip(forms, prefill.lines, strict=True):
        typed = {} if form.dropped() else form.cleaned_data
        answers.append(LineAnswer(source=line, drop=form.dropped(),
                                  label=typed.get("label", line.label),
                                  quantity=typed.get("quantity", line.quantity),
                                  unit=typed.get("unit", line.unit)))
    return answers


def _new(forms: list[NewLineForm]) -> list[NewLine]:
    return [NewLine(direction=f.cleaned_data["direction"], label=f.cleaned_data["label"],
                    quantity=f.cleaned_data.get("quantity"), unit=f.cleaned_data["unit"])
            for f in forms if f.filled()]


@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    reader = visibility.link_reader(user=request.user, invitation=invitation)
    if reader == visibility.REFUSED:
        return _page(request, invitation, {"refused": True}, status=403)
    if invitation.status == Invitation.Status.SUBMITTED:
        if request.method == "POST":
            return _page(request, invitation, {"submitted": True, "again": True}, status=409)
        return _page(request, invitation, {"submitted": True})
    if invitation.campaign.state == Campaign.State.CLOSED:
        return _page(request, invitation, {"closed": True},
                     status=409 if request.method == "POST" else 200)
    facilitator_preview = reader == visibility.FACILITATOR
    if request.method == "GET" and not facilitator_preview:
        services.invitation_opened(invitation=invitation)
    prefill = selectors.prefill(invitation=invitation)
    likely = selectors.likely_offered(invitation=invitation, lines=prefill.lines)
    data = request.POST if request.method == "POST" else None
    lines, new = line_forms(prefill.lines, data), new_line_forms(data)
    if data is not None:
        ticked = set(data.getlist("likely"))
        valid = all(f.dropped() or f.is_valid() for f in lines)
        valid = all([valid, *[f.is_valid() for f in new]])
        if valid:
            try:
                invitation_submit(
                    invitation=invitation, prefill=prefill, answers=_answers(lines, prefill),
                    new=_new(new), by=request.user if request.user.is_authenticated else None,
                    likely=[f for f in likely if f"{f.direction}:{f.class_id}" in ticked])
            except services.CampaignRefused as refused:
                return _page(request, invitation, {"submitted": True, "again": True,
                                                   "message": str(refused)}, status=409)
            return redirect(reverse("campaigns:link", args=[token]) + "#done")
    rows = list(zip(prefill.lines, lines, strict=True))
    return _page(request, invitation, {
        "prefill": prefill, "rows": rows, "new_forms": new, "likely": likely,
        "ticked": set(data.getlist("likely")) if data is not None else set(),
        "preview": facilitator_preview,
        "error_count": sum(bool(f.errors) for f in [*lines, *new] if not (
            isinstance(f, LineForm) and f.dropped()))},
        status=400 if data is not None else 200)
