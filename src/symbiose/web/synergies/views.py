"""Pages of the synergies: detection, the proposals catalogue, decisions, the programme.

Thin views: reads go through `selectors` (which ask the visibility rules), writes through
`services`. A page the reader may not see answers 404. Each write form works with and
without JavaScript: with HTMX the view answers the fragment to swap, else a redirect.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.submissions.once import FIELD as ONCE_FIELD
from symbiose.web.submissions.once import once_token, once_write
from symbiose.web.submissions.stale import StaleEditError, stale_stamp
from symbiose.web.synergies import detection, extensions, selectors, services
from symbiose.web.synergies.forms import (
    CatalogueFilterForm,
    DecisionForm,
    DetectionForm,
    ManualProposalForm,
    ProgrammeForm,
    StageForm,
)
from symbiose.web.synergies.models import DetectionRun, Proposal
from symbiose.web.territory.access import Viewer, viewer_or_404


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _viewer(request: HttpRequest, slug: str, *, facilitator: bool = False) -> Viewer:
    viewer = viewer_or_404(request, slug, facilitator=facilitator)
    if viewer.is_observer:
        raise Http404  # observers read the dashboard's aggregates only
    return viewer


def _stage_labels() -> list[tuple[str, str]]:
    """The stages with their labels translated once, not once per card of the board."""
    return [(value, str(label)) for value, label in Proposal.Stage.choices]


def _proposal(viewer: Viewer, proposal_id: int) -> Proposal:
    found = Proposal.objects.filter(territory=viewer.territory, pk=proposal_id).first()
    if found is None:
        raise Http404
    return found


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# --- catalogue ---------------------------------------------------------------------------

def _catalogue_context(request: HttpRequest, viewer: Viewer,
                       detection_form: DetectionForm | None = None) -> dict[str, Any]:
    form = CatalogueFilterForm(request.GET or None, territory=viewer.territory,
                               facilitator=viewer.sees_all)
    filters = form.filters() if request.GET else CatalogueFilterForm(
        territory=viewer.territory, facilitator=viewer.sees_all).filters()
    try:
        page, proposals = selectors.catalogue_page(viewer=viewer, filters=filters,
                                                   page=request.GET.get("page"))
    except NoAccess as denied:
        raise Http404 from denied
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "territory": viewer.territory, "viewer": viewer, "form": form, "page": page,
        "proposals": proposals, "query": query.urlencode(),
        "next": request.get_full_path(),
    }
    if viewer.sees_all:
        context["detection_form"] = detection_form or DetectionForm()
        # A run whose process died is said failed here, not "running" for ever.
        detection.detection_active(territory=viewer.territory)
        context["last_run"] = selectors.detection_last(territory=viewer.territory)
        context["drop_reasons"] = Proposal.DropReason.choices
    return context


@login_required
@require_GET
def catalogue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = _viewer(request, slug)
    context = _catalogue_context(request, viewer)
    if _htmx(request) and request.headers.get("HX-Target") == "catalogue-results":
        return render(request, "synergies/_results.html", context)
    return render(request, "synergies/catalogue.html", context)


@login_required
@require_GET
def proposal_detail(request: AuthenticatedHttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    viewer = _viewer(request, slug)
    try:
        shown = selectors.proposal_get_visible(viewer=viewer, proposal_id=proposal_id)
    except NoAccess as denied:
        raise Http404 from denied
    return render(request, "synergies/proposal_detail.html",
                  _detail_context(request, viewer, shown))


def _detail_context(request: HttpRequest, viewer: Viewer, shown: Any,
                    form: DecisionForm | None = None) -> dict[str, Any]:
    from django.conf import settings

    sides = [{"name": s.name, "role": s.role, "lat": float(s.latitude),
              "lon": float(s.longitude)}
             for s in shown.sides if s.latitude is not None and s.longitude is not None]
    context: dict[str, Any] = {
        "territory": viewer.territory, "viewer": viewer, "p": shown, "detail": True,
        "map_points": {"type": shown.type, "sides": sides, "tiles": settings.MAP_TILE_URL,
                       "attribution": settings.MAP_TILE_ATTRIBUTION},
        "next": request.get_full_path(), "decision_form": form,
        "links": extensions.proposal_links(viewer=viewer, proposal=shown),
    }
    if viewer.sees_all:
        context["drop_reasons"] = Proposal.DropReason.choices
        context["candidates"] = selectors.duplicate_candidates(
            proposal_id=shown.id, territory=viewer.territory)
    return context


# --- detection ---------------------------------------------------------------------------

@login_required
@require_POST
def detect(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = _viewer(request, slug, facilitator=True)
    form = DetectionForm(request.POST)
    if not form.is_valid():
        if _htmx(request):
            return render(request, "synergies/_detection_panel.html", {
                "territory": viewer.territory, "viewer": viewer, "detection_form": form,
                "last_run": selectors.detection_last(territory=viewer.territory)})
        return render(request, "synergies/catalogue.html",
                      _catalogue_context(request, viewer, detection_form=form), status=400)
    busy = False
    try:
        run = detection.detection_start(territory=viewer.territory,
                                        radius_km=form.cleaned_data["radius_km"],
                                        by=request.user)
    except detection.DetectionBusy as refused:
        run, busy = refused.run, True
    if _htmx(request):
        response = render(request, "synergies/_detection_panel.html", {
            "territory": viewer.territory, "viewer": viewer, "detection_form": form,
            "last_run": run, "busy": busy})
        if run.status == DetectionRun.Status.DONE:
            response["HX-Trigger"] = "detection-done"
        return response
    if busy:
        messages.warning(request, gettext(
            "A detection is already running for this territory; wait for it to finish."))
    return redirect("synergies:catalogue", slug=slug)


@login_required
@require_GET
def run_progress(request: AuthenticatedHttpRequest, slug: str, run_id: int) -> HttpResponse:
    viewer = _viewer(request, slug, facilitator=True)
    # Reading a run also frees the territory of a run whose process died.
    detection.detection_active(territory=viewer.territory)
    run = DetectionRun.objects.filter(territory=viewer.territory, pk=run_id).first()
    if run is None:
        raise Http404
    response = render(request, "synergies/_run.html", {"territory": viewer.territory,
                                                       "viewer": viewer, "run": run})
    if run.status == DetectionRun.Status.DONE:
        # The poll that sees the run finish also refreshes the results list below it.
        response["HX-Trigger"] = "detection-done"
    return response


# --- decisions ---------------------------------------------------------------------------

@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    viewer = _viewer(request, slug, facilitator=True)
    proposal = _proposal(viewer, proposal_id)
    form = DecisionForm(request.POST, proposal_id=proposal.pk, territory=viewer.territory)
    if form.is_valid():
        try:
            services.proposal_decide(
                proposal=proposal, decision=form.cleaned_data["decision"],
                drop_reason=form.cleaned_data["drop_reason"], note=form.cleaned_data["note"],
                duplicate_of=form.duplicate, by=request.user)
        except services.ProposalError as refused:
            form.add_error(None, str(refused))
    shown = selectors.proposal_get_visible(viewer=viewer, proposal_id=proposal.pk)
    ok = not form.errors
    if _htmx(request):
        context = _detail_context(request, viewer, shown, None if ok else form)
        context["detail"] = request.POST.get("detail") == "1"
        context["next"] = _next_url(request, "")
        return render(request, "synergies/_card.html", context)
    if ok:
        return redirect(_next_url(request, reverse(
            "synergies:proposal", args=[slug, proposal.pk])))
    return render(request, "synergies/proposal_detail.html",
                  _detail_context(request, viewer, shown, form), status=400)


@login_required
def proposal_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = _viewer(request, slug, facilitator=True)
    territory = viewer.territory
    form = ManualProposalForm(request.POST or None, territory=territory)
    token = request.POST.get(ONCE_FIELD) or once_token()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = once_write(
                token=token, user=request.user,
                write=lambda: services.proposal_create_manual(
                    territory=territory, type=data["type"], supplier=form.supplier_actor,
                    receiver=form.receiver_actor, members=form.member_actors,
                    resource=data["resource"], quantity=data["quantity"], unit=data["unit"],
                    explanation=data["explanation"], by=request.user),
                result_url=lambda proposal: reverse("synergies:proposal",
                                                    args=[slug, proposal.pk]),
                fallback_url=reverse("synergies:catalogue", args=[slug]))
        except services.ProposalError as refused:
            form.add_error(None, str(refused))
        else:
            if not done.repeated:
                messages.success(request, gettext("The synergy was added to the programme."))
            return redirect(done.url)
    return render(request, "synergies/proposal_form.html", {
        "territory": territory, "viewer": viewer, "form": form, "token": token,
        "once_field": ONCE_FIELD}, status=400 if form.errors else 200)


@login_required
@require_GET
def actor_options(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """`<option>`s for the actor fields' shared datalist, as the facilitator types."""
    viewer = _viewer(request, slug, facilitator=True)
    query = (request.GET.get("supplier") or request.GET.get("receiver")
             or request.GET.get("member_search") or request.GET.get("q") or "")
    return render(request, "synergies/_actor_options.html", {
        "actors": selectors.actor_choices(territory=viewer.territory, query=query)})


# --- programme ---------------------------------------------------------------------------

@login_required
@require_GET
def board(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = _viewer(request, slug)
    return render(request, "synergies/board.html", _board_context(viewer))


def _board_context(viewer: Viewer) -> dict[str, Any]:
    columns = selectors.board_columns(viewer=viewer)
    ids = [p.id for _, _, cards, _ in columns for p in cards]
    return {"territory": viewer.territory, "viewer": viewer, "columns": columns,
            "stages": _stage_labels(),
            "board_notes": extensions.board_notes(viewer=viewer, ids=ids)}


def _board_card(request: HttpRequest, viewer: Viewer, proposal_id: int,
                **extra: Any) -> HttpResponse:
    shown = selectors.proposal_get_visible(viewer=viewer, proposal_id=proposal_id)
    return render(request, "synergies/_board_card.html", {
        "territory": viewer.territory, "viewer": viewer, "p": shown,
        "stages": _stage_labels(),
        "board_notes": extensions.board_notes(viewer=viewer, ids=[proposal_id]), **extra})


@login_required
@require_POST
def stage(request: AuthenticatedHttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    viewer = _viewer(request, slug, facilitator=True)
    proposal = _proposal(viewer, proposal_id)
    if proposal.decision != Proposal.Decision.KEPT:
        raise Http404
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_stage_set(proposal=proposal, stage=form.cleaned_data["stage"],
                                        reason=form.cleaned_data["reason"],
                                        by=request.user)
        except services.ProposalError as refused:
            form.add_error("reason", str(refused))
    if _htmx(request):
        if form.errors:
            # 200, not 400: HTMX swaps only successful answers, and the message must show.
            return _board_card(request, viewer, proposal.pk, stage_form=form)
        # The card changes column: the whole board is redrawn.
        response = render(request, "synergies/_board.html", _board_context(viewer))
        response["HX-Retarget"] = "#board"
        response["HX-Reswap"] = "outerHTML"
        return response
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect(reverse("synergies:board", args=[slug]) + f"#proposal-{proposal.pk}")


@login_required
def programme_edit(request: AuthenticatedHttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    viewer = _viewer(request, slug, facilitator=True)
    proposal = _proposal(viewer, proposal_id)
    if proposal.decision != Proposal.Decision.KEPT:
        raise Http404
    stale: Proposal | None = None
    if request.method == "POST":
        form = ProgrammeForm(request.POST, auto_id=f"id_%s_{proposal.pk}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.proposal_programme_set(
                    proposal=proposal, owner=data["owner"], partners=data["partners"],
                    next_step=data["next_step"], next_step_date=data["next_step_date"],
                    seen=data["seen_version"], by=request.user)
            except StaleEditError as changed:
                stale = cast(Proposal, changed.current)
                # The user's input is kept; the next save is made knowingly over the
                # version now shown, so the form now carries that version's stamp.
                data = request.POST.copy()
                data["seen_version"] = stale_stamp(stale)
                form = ProgrammeForm(data, auto_id=f"id_%s_{proposal.pk}")
                form.full_clean()
                form.add_error(None, str(changed))
            else:
                if _htmx(request):
                    return _board_card(request, viewer, proposal.pk)
                messages.success(request, gettext("The programme was saved."))
                return redirect(reverse("synergies:board", args=[slug])
                                + f"#proposal-{proposal.pk}")
    else:
        form = ProgrammeForm(auto_id=f"id_%s_{proposal.pk}", initial={
            "owner": proposal.owner, "partners": proposal.partners,
            "next_step": proposal.next_step, "next_step_date": proposal.next_step_date,
            "seen_version": stale_stamp(proposal)})
    if _htmx(request):
        return _board_card(request, viewer, proposal.pk, programme_form=form, stale=stale)
    shown = selectors.proposal_get_visible(viewer=viewer, proposal_id=proposal.pk)
    return render(request, "synergies/programme_form.html", {
        "territory": viewer.territory, "viewer": viewer, "p": shown, "form": form,
        "stale": stale}, status=400 if form.errors else 200)


