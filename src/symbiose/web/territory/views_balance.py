"""The flow balance entry: the page a facilitator (or the actor's own member) fills during a
company visit, and its HTMX fragments (class suggestion, yearly equivalent).

A line posted from the page with HTMX answers the refreshed balance and a fresh form; the
same post without JavaScript redirects to the page (post/redirect/get).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from symbiose.core.errors import UnknownUnitError
from symbiose.core.nomenclature.units import unit_normalize
from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.submissions.once import once_write
from symbiose.web.submissions.stale import StaleEditError, stale_stamp
from symbiose.web.territory import selectors, services, services_entry, visibility
from symbiose.web.territory.access import Viewer, viewer_or_404
from symbiose.web.territory.amounts import amount_read
from symbiose.web.territory.forms import ResourceEditForm, ResourceEntryForm, unknown_message
from symbiose.web.territory.models import Actor
from symbiose.web.territory.suggestions import suggest, yearly_equivalent

YEARS = range(1990, 2101)


def _actor_or_404(request: HttpRequest, slug: str, actor_id: str, year: int
                  ) -> tuple[Viewer, Actor]:
    viewer = viewer_or_404(request, slug)
    if year not in YEARS:
        raise Http404
    try:
        return viewer, visibility.actor_editable_get(viewer=viewer, external_id=actor_id)
    except NoAccess as denied:
        raise Http404 from denied


def _context(viewer: Viewer, actor: Actor, year: int,
             form: ResourceEntryForm) -> dict[str, Any]:
    outputs, inputs = selectors.balance_lines(actor=actor, year=year)
    lines = [*outputs, *inputs]
    earlier = selectors.actor_latest_year(actor=actor, before=year)
    return {
        "territory": viewer.territory, "viewer": viewer, "actor": actor, "year": year,
        "form": form, "outputs": outputs, "inputs": inputs, "editable": True,
        "likely": selectors.balance_likely_flows(actor=actor, year=year, lines=lines),
        "earlier_year": earlier if not lines else None,
    }


@login_required
def balance(request: AuthenticatedHttpRequest, slug: str, actor_id: str, year: int) -> HttpResponse:
    viewer, actor = _actor_or_404(request, slug, actor_id, year)
    form = ResourceEntryForm(request.POST or None)
    htmx = bool(request.htmx)
    if request.method == "POST" and form.is_valid():
        here = reverse("territory:balance", args=[slug, actor.external_id, year])
        try:
            done = once_write(
                token=form.cleaned_data["submission_token"], user=request.user,
                write=lambda: services_entry.resource_create(
                    actor=actor, year=year, data=form.cleaned_data, by=request.user),
                result_url=lambda _: here, fallback_url=here)
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # A double post wrote nothing: the balance is shown as it is.
            line = done.result
            if done.repeated and not htmx:
                return redirect(done.url)
            if line is not None and not htmx:
                messages.success(request, gettext("Line “%(label)s” added.")
                                 % {"label": line.label})
                return redirect(here)
            context = _context(viewer, actor, year, ResourceEntryForm(
                initial={"direction": form.cleaned_data["direction"]}))
            context["added"] = line
            return render(request, "territory/_balance_workspace.html", context)
    context = _context(viewer, actor, year, form)
    if htmx and request.method == "POST":
        return render(request, "territory/_balance_workspace.html", context)
    return render(request, "territory/balance.html", context)


@login_required
@require_POST
def likely_flow(request: AuthenticatedHttpRequest, slug: str, actor_id: str,
                year: int) -> HttpResponse:
    """Accept (a private, estimated line) or discard one likely flow of the activity."""
    viewer, actor = _actor_or_404(request, slug, actor_id, year)
    outputs, inputs = selectors.balance_lines(actor=actor, year=year)
    wanted = (request.POST.get("direction", ""), request.POST.get("class_id", ""))
    flow = next((f for f in selectors.balance_likely_flows(
        actor=actor, year=year, lines=[*outputs, *inputs])
        if (f.direction, f.class_id) == wanted), None)
    if flow is not None and request.POST.get("action") == "accept":
        line = services_entry.likely_flow_accept(actor=actor, year=year, flow=flow,
                                                 by=viewer.user)
        messages.success(request, gettext("Line “%(label)s” added, marked as estimated.")
                         % {"label": line.label})
    elif flow is not None and request.POST.get("action") == "discard":
        services_entry.likely_flow_discard(actor=actor, year=year, direction=flow.direction,
                                           class_id=flow.class_id, by=viewer.user)
    if request.htmx:
        return render(request, "territory/_balance_workspace.html",
                      _context(viewer, actor, year, ResourceEntryForm()))
    return redirect("territory:balance", slug=slug, actor_id=actor.external_id, year=year)


@login_required
@require_POST
def balance_start(request: AuthenticatedHttpRequest, slug: str, actor_id: str,
                  year: int) -> HttpResponse:
    """Start this year's balance from the latest earlier one."""
    viewer, actor = _actor_or_404(request, slug, actor_id, year)
    earlier = selectors.actor_latest_year(actor=actor, before=year)
    copied = 0
    if earlier is not None:
        copied = services.flow_balance_start_year(actor=actor, from_year=earlier,
                                                  to_year=year, by=viewer.user)
    if copied:
        messages.success(request, gettext(
            "%(n)d lines copied from %(from)d; revise their quantities.")
            % {"n": copied, "from": earlier})
    else:
        messages.info(request, gettext("Nothing copied: this year already has lines, or no "
                                       "earlier year has any."))
    return redirect("territory:balance", slug=slug, actor_id=actor.external_id, year=year)


def _writer_or_404(request: HttpRequest, slug: str) -> Viewer:
    """The fragments help to type lines: only those who may type some get them."""
    viewer = viewer_or_404(request, slug)
    if not (viewer.sees_all or viewer.actor_ids):
        raise Http404
    return viewer


@login_required
def suggest_class(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The class (and EWC code, for an output) the label suggests, to click to accept."""
    viewer = _writer_or_404(request, slug)
    label = request.GET.get("label", "").strip()[:500]
    return render(request, "territory/_suggestion.html", {
        "territory": viewer.territory,
        "suggestion": suggest(label=label, direction=request.GET.get("direction", ""),
                              kind=request.GET.get("kind", "")) if label else None,
        "chosen": request.GET.get("resource_class", ""),
    })


@login_required
def quantity_check(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The unit checked and the quantity's yearly equivalent, as one types them."""
    _writer_or_404(request, slug)
    text = request.GET.get("unit", "").strip()[:20]
    unit, error = "", ""
    if text:
        try:
            unit = unit_normalize(text)
        except UnknownUnitError as unknown:
            error = unknown_message(unknown, unit=True)
    # Read as the form will read it on saving, so the two never say different things.
    quantity, quantity_error = amount_read(request.GET.get("quantity", "")[:60])
    return render(request, "territory/_quantity_check.html", {
        "error": error, "quantity_error": quantity_error,
        "equivalent": None if error or quantity_error else yearly_equivalent(
            quantity, unit, request.GET.get("period", "year")),
    })


@login_required
def line_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """A member edits its own actors' lines (a facilitator, any line of its territory).

    The form carries the version it was opened on: when someone else saved the line in
    between, their version is shown, the user's input kept, and nothing is written.
    """
    viewer = viewer_or_404(request, slug)
    try:
        line = visibility.resource_editable_get(viewer=viewer, pk=pk)
    except NoAccess as denied:
        raise Http404 from denied
    initial = {name: getattr(line, name) for name in services_entry.RESOURCE_EDITABLE}
    initial["seen_version"] = stale_stamp(line)
    form = ResourceEditForm(request.POST or None, initial=initial)
    theirs = None
    if request.method == "POST" and form.is_valid():
        # A field the post does not carry is left as it is (an older form, a script).
        data = {k: ("" if v is None and k in {"unit", "notes", "ewc_code"} else v)
                for k, v in form.cleaned_data.items()
                if k in services_entry.RESOURCE_EDITABLE and k in request.POST}
        try:
            services_entry.resource_update(resource=line, data=data, by=request.user,
                                           seen=form.cleaned_data["seen_version"])
        except StaleEditError as stale:
            theirs = stale.current
            posted = request.POST.copy()
            # Saving again from here applies the user's input over the version now shown.
            posted["seen_version"] = stale_stamp(stale.current)
            form = ResourceEditForm(posted)
            form.is_valid()
            form.add_error(None, str(stale))
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("Line saved."))
            return redirect("territory:actor", slug=slug, actor_id=line.actor.external_id)
    return render(request, "territory/line_edit.html", {
        "territory": viewer.territory, "viewer": viewer, "line": line, "form": form,
        "theirs": theirs})
