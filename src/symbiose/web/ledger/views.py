"""The facilitator's ledger pages: the year's figures of every kept synergy, one
synergy's figures with their history (declare, verify), the qualitative indicators, and
the report to download. Thin: forms read, services write, selectors read."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST
from reportlab.graphics import renderSVG

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.ledger import selectors, services
from symbiose.web.ledger.forms import (
    DeclareForm,
    IndicatorForm,
    ReportForm,
    ScoreForm,
    VerifyForm,
)
from symbiose.web.ledger.models import LedgerEntry, Metric, ReportRun, Status
from symbiose.web.ledger.report import charts, runs
from symbiose.web.ledger.report.build import FORMATS, report_file
from symbiose.web.ledger.services import LedgerRefused
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.access import Viewer, viewer_or_404
from symbiose.web.territory.models import Territory


def _year(request: AuthenticatedHttpRequest, territory: Territory) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    if raw.isdigit() and 1900 < int(raw) < 2200:
        return int(raw)
    known = selectors.years(territory=territory)
    return known[-1] if known else timezone.localdate().year


def _facilitator(request: AuthenticatedHttpRequest, slug: str) -> Viewer:
    return viewer_or_404(request, slug, facilitator=True)


@login_required
def ledger_home(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = _facilitator(request, slug)
    territory = viewer.territory
    year = _year(request, territory)
    current: dict[int, dict[str, LedgerEntry]] = {}
    for entry in selectors.entries_current(territory=territory, year=year):
        current.setdefault(entry.synergy_id, {})[entry.metric] = entry
    synergies = [(s, [current.get(s.pk, {}).get(m) for m in Metric.values])
                 for s in selectors.kept_synergies(territory=territory)]
    totals = selectors.yearly_totals(territory=territory)
    return render(request, "ledger/home.html", {
        "territory": territory, "viewer": viewer, "year": year,
        "years": sorted(set(selectors.years(territory=territory)) | {year}),
        "metrics": Metric.choices, "synergies": synergies,
        "totals": [(label, total, Status(total.weakest).label if total else "")
                   for key, label in Metric.choices
                   for total in [totals.get(year, {}).get(key)]],
        "report_form": ReportForm(initial={"year": year, "fmt": "pdf", "language": "fr"}),
        "report_run": _report_run(territory),
    })


def _report_run(territory: Territory) -> ReportRun | None:
    """The build under way, else the newest: what the report section shows."""
    return (runs.report_active(territory=territory)
            or ReportRun.objects.filter(territory=territory).first())


@login_required
@require_POST
def ledger_estimate(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = _facilitator(request, slug)
    year = _year(request, viewer.territory)
    try:
        added = services.ledger_estimate(territory=viewer.territory, year=year,
                                         by=request.user)
        messages.success(request, gettext("%(n)s estimated figure(s) added for %(year)s.")
                         % {"n": added, "year": year})
    except LedgerRefused as refused:
        messages.error(request, str(refused))
    return redirect(f"{request.path.rsplit('estimate/', 1)[0]}?year={year}")


def _synergy(viewer: Viewer, proposal_id: int) -> Proposal:
    found = selectors.kept_synergies(territory=viewer.territory).filter(pk=proposal_id).first()
    if found is None:
        raise Http404
    return found


@login_required
def synergy_ledger(request: AuthenticatedHttpRequest, slug: str,
                   proposal_id: int) -> HttpResponse:
    viewer = _facilitator(request, slug)
    synergy = _synergy(viewer, proposal_id)
    actors = [m.actor for m in synergy.members.all()]
    form = DeclareForm(request.POST or None, actors=actors,
                       initial={"year": _year(request, viewer.territory)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.entry_declare(
                synergy=synergy, year=data["year"], metric=data["metric"],
                value=data["value"], unit=data["unit"], declared_by=data["declared_by"],
                note=data["note"], by=request.user)
        except LedgerRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None,
                           str(refused))
        else:
            messages.success(request, gettext("The figure is recorded."))
            return redirect("ledger:synergy", slug, synergy.pk)
    entries = LedgerEntry.objects.filter(synergy=synergy).select_related(
        "declared_by", "recorded_by").order_by("year", "metric", "-id")
    latest: set[int] = set()
    seen: set[tuple[int, str]] = set()
    for entry in entries:
        if (entry.year, entry.metric) not in seen:
            seen.add((entry.year, entry.metric))
            latest.add(entry.pk)
    return render(request, "ledger/synergy.html", {
        "territory": viewer.territory, "viewer": viewer, "synergy": synergy,
        "actors": actors, "form": form, "entries": entries, "latest": latest,
        "verify_form": VerifyForm(), "units": DeclareForm.units(),
        "consented": selectors.consented(actors=actors),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def entry_verify(request: AuthenticatedHttpRequest, slug: str, entry_id: int) -> HttpResponse:
    viewer = _facilitator(request, slug)
    entry = LedgerEntry.objects.filter(territory=viewer.territory, pk=entry_id).first()
    if entry is None:
        raise Http404
    form = VerifyForm(request.POST)
    form.is_valid()
    try:
        services.entry_verify(entry=entry, verifier=form.cleaned_data.get("verifier", ""),
                              evidence=form.cleaned_data.get("evidence", ""),
                              by=request.user)
        messages.success(request, gettext("The figure is verified."))
    except LedgerRefused as refused:
        messages.error(request, str(refused))
    return redirect("ledger:synergy", slug, entry.synergy_id)


@login_required
@require_POST
def consent_set(request: AuthenticatedHttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    """The facilitator records that a company of the synergy agrees (or no longer
    agrees) to be named with its figures in reports."""
    viewer = _facilitator(request, slug)
    synergy = _synergy(viewer, proposal_id)
    actor = next((m.actor for m in synergy.members.select_related("actor")
                  if str(m.actor_id) == request.POST.get("actor")), None)
    if actor is None:
        raise Http404
    services.consent_set(actor=actor, agreed=request.POST.get("agreed") == "1",
                         by=request.user)
    return redirect("ledger:synergy", slug, synergy.pk)


@login_required
def indicator_scores(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = _facilitator(request, slug)
    territory = viewer.territory
    year = _year(request, territory)
    indicator_form = IndicatorForm(request.POST if "code" in request.POST else None)
    if indicator_form.is_bound:
        if indicator_form.is_valid():
            try:
                services.territory_indicator_add(territory=territory,
                                                 by=request.user, **indicator_form.cleaned_data)
                messages.success(request, gettext("The indicator is added."))
                return redirect(f"{request.path}?year={year}")
            except LedgerRefused as refused:
                indicator_form.add_error(refused.field, str(refused))
    elif request.method == "POST":
        form = ScoreForm(request.POST)
        if form.is_valid():
            try:
                services.score_record(territory=territory, year=year,
                                      indicator=form.cleaned_data["indicator"],
                                      score=form.cleaned_data["score"],
                                      comment=form.cleaned_data["comment"], by=request.user)
                messages.success(request, gettext("The score is recorded."))
            except LedgerRefused as refused:
                messages.error(request, str(refused))
        else:
            messages.error(request, gettext("Give a score from 0 to 4."))
        return redirect(f"{request.path}?year={year}")
    scores = selectors.scores(territory=territory, year=year)
    language = get_language() or "fr"
    rows = [(i, i.text("label", language), i.text("definition", language), scores.get(i.id))
            for i in selectors.qualitative_indicators(territory=territory)]
    return render(request, "ledger/scores.html", {
        "territory": territory, "viewer": viewer, "year": year, "rows": rows,
        "indicators": selectors.indicators(territory=territory), "language": language,
        "indicator_form": indicator_form,
    }, status=400 if indicator_form.errors else 200)


# reportlab's SVG writes its styles as attributes; opened on its own (not through an
# <img>), the image is a document that the site's policy would leave unstyled. It carries
# no script, and script-src stays the site's.
@csp_update({"style-src": ["'unsafe-inline'"]})  # type: ignore[arg-type]
@login_required
def radar_svg(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = _facilitator(request, slug)
    year = _year(request, viewer.territory)
    scores = selectors.scores(territory=viewer.territory, year=year)
    language = get_language() or "fr"
    indicators = selectors.qualitative_indicators(territory=viewer.territory)
    drawing = charts.radar([i.text("label", language) for i in indicators],
                           [float(scores[i.id].score) if i.id in scores else 0.0
                            for i in indicators])
    return HttpResponse(renderSVG.drawToString(drawing), content_type="image/svg+xml")


@login_required
def report_download(request: AuthenticatedHttpRequest, slug: str, fmt: str) -> HttpResponse:
    viewer = _facilitator(request, slug)
    year = _year(request, viewer.territory)
    language = request.GET.get("lang", "fr")
    data = report_file(territory=viewer.territory, year=year, fmt=fmt, by=request.user,
                       language=language if language in ("fr", "en") else "fr")
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{viewer.territory.slug}-{year}-rapport.{fmt}"')
    return response
