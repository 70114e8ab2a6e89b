"""The region's pages: the list of regions, the regional dashboard, the library of
practice sheets and a sheet's PDF, the cross-territory proposals; and, on a territory's
operational synergy, the sheet its facilitator writes and publishes."""

from __future__ import annotations

import hashlib
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_POST

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.accounts.viewer import is_administrator
from symbiose.web.region import crossing_runs, selectors, services
from symbiose.web.region.access import RegionViewer, region_list_visible, region_viewer_or_404
from symbiose.web.region.forms import (
    CrossingAgreementForm,
    MemberForm,
    RegionForm,
    SheetForm,
    TerritoryAttachForm,
)
from symbiose.web.region.models import (
    CrossingRun,
    CrossProposal,
    PracticeSheet,
    Region,
)
from symbiose.web.region.selectors import CACHE_SECONDS
from symbiose.web.region.sheet_pdf import sheet_pdf
from symbiose.web.region.visibility import (
    Memo,
    TerritoryRow,
    crossing_recordable,
    crossings_visible,
    library_entries,
    region_dashboard_visible,
    sheet_visible,
)
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.access import viewer_or_404
from symbiose.web.territory.models import Actor

PDF = "application/pdf"


@login_required
@require_GET
def region_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "region/list.html",
                  {"regions": region_list_visible(user=request.user),
                   "administrator": is_administrator(request.user)})


# The territories' lines of the dashboard last rendered, by what they show and in which
# language: a hundred lines of formatted numbers were a third of the page's time, and
# after a change in one territory only its line differs.
_lines_html = Memo(20_000)


def _line_html(line: TerritoryRow, language: str) -> str:
    key = (language, line.name, line.actors, tuple(line.funnel), tuple(line.figures))
    html = _lines_html.get(key)
    if html is None:
        html = render_to_string("region/_territory_line.html", {"t": line})
        _lines_html.set(key, html)
    return cast(str, html)


def _lines_table(lines: list[TerritoryRow]) -> str:
    """The territories' lines as HTML, kept in the shared cache too, under what they
    show: a web process that has just started finds them there."""
    language = get_language()
    key = "region-lines:" + hashlib.sha256(repr((language, lines)).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = "".join(_line_html(line, language) for line in lines)
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # rendered from the template, each value escaped there


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest, region_slug: str) -> HttpResponse:
    viewer = region_viewer_or_404(request, region_slug, regional=True)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 1900 < int(raw) < 2200 else None
    shown = region_dashboard_visible(viewer=viewer, year=year)
    lines = _lines_table(shown.territories)
    points = [[t.name, t.latitude, t.longitude, t.actors, t.funnel[-1]]
              for t in shown.territories if t.latitude is not None and t.longitude is not None]
    return render(request, "region/dashboard.html", {
        "region": viewer.region, "viewer": viewer, "shown": shown, "lines": lines,
        "map_config": {"tile_url": settings.MAP_TILE_URL,
                       "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
                       "territories": points},
        "map_text": {"actors": gettext("actors"),
                     "operational": gettext("operational synergies"),
                     "hidden": gettext("fewer than 3")},
    })


@login_required
@require_GET
def library(request: AuthenticatedHttpRequest, region_slug: str) -> HttpResponse:
    viewer = region_viewer_or_404(request, region_slug)
    return render(request, "region/library.html", {
        "region": viewer.region, "viewer": viewer,
        "sheets": library_entries(viewer=viewer),
    })


def _pdf(content: bytes, title: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = (
        f'inline; filename="{slugify(title) or "practice-sheet"}.pdf"')
    return response


@login_required
@require_GET
def library_sheet(request: AuthenticatedHttpRequest, region_slug: str,
                  sheet_id: int) -> HttpResponse:
    viewer = region_viewer_or_404(request, region_slug)
    sheet = selectors.sheets_published(region=viewer.region).filter(pk=sheet_id).first()
    if sheet is None:
        raise Http404
    return _pdf(sheet_pdf(sheet_visible(sheet=sheet)), sheet.title)


def _may_detect(viewer: RegionViewer) -> bool:
    return viewer.administrator or viewer.role == "facilitator"


@login_required
@require_GET
def crossings(request: AuthenticatedHttpRequest, region_slug: str) -> HttpResponse:
    viewer = region_viewer_or_404(request, region_slug, crossings=True)
    may_detect = _may_detect(viewer)
    if may_detect:  # a run whose process died is said failed here, not running for ever
        crossing_runs.crossing_run_active(region=viewer.region)
    return render(request, "region/crossings.html", {
        "region": viewer.region, "viewer": viewer,
        "crossings": crossings_visible(viewer=viewer),
        "may_detect": may_detect,
        "last_run": crossing_runs.crossing_run_last(region=viewer.region) if may_detect
        else None,
    })


@login_required
@require_POST
def crossings_detect(request: AuthenticatedHttpRequest, region_slug: str) -> HttpResponse:
    viewer = region_viewer_or_404(request, region_slug, crossings=True)
    if not _may_detect(viewer):
        raise Http404
    try:
        crossing_runs.crossing_run_start(region=viewer.region, by=request.user)
    except crossing_runs.CrossingRunBusy as busy:
        messages.warning(request, str(busy))
    return redirect("region:crossings", region_slug)


@login_required
@require_GET
def crossing_run(request: AuthenticatedHttpRequest, region_slug: str,
                 run_id: int) -> HttpResponse:
    viewer = region_viewer_or_404(request, region_slug, crossings=True)
    if not _may_detect(viewer):
        raise Http404
    crossing_runs.crossing_run_active(region=viewer.region)
    run = CrossingRun.objects.filter(region=viewer.region, pk=run_id).first()
    if run is None:
        raise Http404
    response = render(request, "region/_crossing_run.html",
                      {"region": viewer.region, "run": run})
    if run.status == CrossingRun.Status.DONE:
        # The poll that sees the run finish reloads the page, with the proposals found.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def crossing_agree(request: AuthenticatedHttpRequest, region_slug: str,
                   crossing_id: int) -> HttpResponse:
    viewer = region_viewer_or_404(request, region_slug, crossings=True)
    crossing = CrossProposal.objects.filter(region=viewer.region, pk=crossing_id).select_related(
        "supplier", "receiver").first()
    form = CrossingAgreementForm(request.POST)
    if crossing is None or not form.is_valid():
        raise Http404
    side = form.cleaned_data["side"]
    if not crossing_recordable(viewer=viewer, crossing=crossing, side=side):
        raise Http404
    services.crossing_agree(crossing=crossing, side=side, agreed=form.cleaned_data["agreed"],
                            by=request.user)
    messages.success(request, gettext("Agreement recorded."))
    return redirect("region:crossings", region_slug)


# --- a territory's synergy: its sheet ------------------------------------------------

def _proposal_of(request: AuthenticatedHttpRequest, slug: str, proposal_id: int
                 ) -> Proposal:
    viewer = viewer_or_404(request, slug, facilitator=True)
    proposal = Proposal.objects.filter(territory=viewer.territory, pk=proposal_id).select_related(
        "territory", "supplier", "receiver").first()
    if proposal is None:
        raise Http404
    return proposal


def _sheet_of(request: AuthenticatedHttpRequest, slug: str, proposal_id: int
              ) -> PracticeSheet:
    sheet = PracticeSheet.objects.filter(
        proposal=_proposal_of(request, slug, proposal_id)).first()
    if sheet is None:
        raise Http404
    return sheet


def _actors(proposal: Proposal) -> list[Actor]:
    ids = set(proposal.members.values_list("actor_id", flat=True))
    ids |= {pk for pk in (proposal.supplier_id, proposal.receiver_id) if pk}
    return list(Actor.objects.filter(pk__in=ids).order_by("name"))


def _initial(proposal: Proposal) -> dict[str, str]:
    return {"title": proposal.resource[:160], "exchanged": proposal.resource,
            "method": proposal.explanation[:1200]}


@login_required
def sheet_edit(request: AuthenticatedHttpRequest, slug: str, proposal_id: int
               ) -> HttpResponse:
    proposal = _proposal_of(request, slug, proposal_id)
    sheet = PracticeSheet.objects.filter(proposal=proposal).first()
    actors = _actors(proposal)
    form = SheetForm(request.POST or None, instance=sheet, actors=actors,
                     initial=None if sheet else _initial(proposal))
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.sheet_save(
                proposal=proposal, data=form.cleaned_data,
                named_actor_ids=[a.pk for a in form.cleaned_data["named_actors"]],
                publish="publish" in request.POST, by=request.user)
        except services.RegionRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None,
                           str(refused))
        else:
            messages.success(request, gettext("Sheet published to the region's library.")
                             if saved.published_at else gettext("Sheet saved."))
            return redirect("region:sheet_edit", slug, proposal_id)
    if request.method == "GET":
        try:
            services.sheet_region_check(proposal=proposal)
        except services.RegionRefused as refused:
            refusal = str(refused)
    return render(request, "region/sheet_form.html", {
        "territory": proposal.territory, "proposal": proposal, "sheet": sheet,
        "form": form, "refusal": refusal,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def sheet_withdraw(request: AuthenticatedHttpRequest, slug: str, proposal_id: int
                   ) -> HttpResponse:
    sheet = _sheet_of(request, slug, proposal_id)
    services.sheet_withdraw(sheet=sheet, by=request.user)
    messages.success(request, gettext("Sheet withdrawn from the library."))
    return redirect("region:sheet_edit", slug, proposal_id)


@login_required
@require_GET
def sheet_preview(request: AuthenticatedHttpRequest, slug: str, proposal_id: int
                  ) -> HttpResponse:
    sheet = _sheet_of(request, slug, proposal_id)
    return _pdf(sheet_pdf(sheet_visible(sheet=sheet)), sheet.title)


# --- setting a region up: the instance administrator ----------------------------------

def _administrator(request: AuthenticatedHttpRequest) -> None:
    if not is_administrator(request.user):
        raise Http404


@login_required
def region_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _administrator(request)
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            region = services.region_create(**form.cleaned_data)
        except services.RegionRefused as refused:
            form.add_error(refused.field, str(refused))
        else:
            messages.success(request, gettext("Region created: add its territories and "
                                              "name its readers."))
            return redirect("region:setup", region.slug)
    return render(request, "region/new.html", {"form": form},
                  status=400 if form.errors else 200)


def _setup_post(request: AuthenticatedHttpRequest, region: Region
                ) -> tuple[TerritoryAttachForm | None, MemberForm | None]:
    """Do the posted action; the form that failed, to show again with its errors."""
    action = request.POST.get("action", "")
    if action == "attach":
        attach = TerritoryAttachForm(request.POST)
        if not attach.is_valid():
            return attach, None
        territory = attach.cleaned_data["territory"]
        try:
            services.region_territory_add(region=region, territory=territory, by=request.user)
        except services.RegionRefused as refused:
            attach.add_error("territory", str(refused))
            return attach, None
        messages.success(request, gettext("“%(territory)s” joined the region.")
                         % {"territory": territory.name})
    elif action == "detach":
        raw = request.POST.get("territory_id", "")
        link = (region.links.filter(territory_id=int(raw)).select_related("territory").first()
                if raw.isdigit() else None)
        if link is None:
            raise Http404
        left = link.territory
        try:
            removed = services.region_territory_remove(region=region, territory=left,
                                                       by=request.user)
        except services.RegionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, gettext(
                "“%(territory)s” left the region (%(n)s cross-territory proposals removed).")
                % {"territory": left.name, "n": removed})
    elif action == "member":
        member = MemberForm(request.POST)
        if not member.is_valid():
            return None, member
        services.region_membership_set(user=member.cleaned_data["username"], region=region,
                                       role=member.cleaned_data["role"])
        messages.success(request, gettext("%(user)s now reads the region.")
                         % {"user": member.cleaned_data["username"].get_username()})
    elif action == "unmember" and request.POST.get("user_id", "").isdigit():
        services.region_membership_end(user_id=int(request.POST["user_id"]), region=region)
        messages.success(request, gettext("The regional role is withdrawn."))
    else:
        raise Http404
    return None, None


@login_required
def region_setup(request: AuthenticatedHttpRequest, region_slug: str) -> HttpResponse:
    _administrator(request)
    region = Region.objects.filter(slug=region_slug).first()
    if region is None:
        raise Http404
    attach: TerritoryAttachForm | None = None
    member: MemberForm | None = None
    if request.method == "POST":
        attach, member = _setup_post(request, region)
        if attach is None and member is None:
            return redirect("region:setup", region.slug)
    return render(request, "region/setup.html", {
        "region": region,
        "attach_form": attach or TerritoryAttachForm(),
        "member_form": member or MemberForm(),
        "links": region.links.select_related("territory").order_by("territory__name"),
        "members": region.memberships.filter(is_active=True).select_related("user")
        .order_by("role", "user__username"),
    }, status=400 if attach is not None or member is not None else 200)
