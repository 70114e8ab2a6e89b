"""The ledger page's report: build it as a job, follow its progress, download the file.
Only the territory's facilitator reaches any of these (as the ledger itself)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.ledger.forms import ReportForm
from symbiose.web.ledger.models import ReportRun
from symbiose.web.ledger.report import runs
from symbiose.web.ledger.report.build import FORMATS
from symbiose.web.territory.access import Viewer, viewer_or_404


def _run(viewer: Viewer, run_id: int) -> ReportRun:
    run = ReportRun.objects.filter(territory=viewer.territory, pk=run_id).first()
    if run is None:
        raise Http404
    return run


@login_required
@require_POST
def report_build(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    form = ReportForm(request.POST)
    run = None
    if form.is_valid():
        data = form.cleaned_data
        run = runs.report_start(territory=viewer.territory, year=data["year"],
                                fmt=data["fmt"], language=data["language"], by=request.user)
    if request.htmx:  # htmx swaps only a 2xx answer: a refusal is said in the fragment
        return render(request, "ledger/_report_run.html", {
            "territory": viewer.territory, "run": run, "form": form})
    if run is None:
        messages.error(request, gettext("Choose a year, a format and a language."))
    return redirect(reverse("ledger:home", args=[slug]) + "#report")


@login_required
@require_GET
def report_progress(request: AuthenticatedHttpRequest, slug: str, run_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    # Reading a build also frees the territory of one whose process died.
    runs.report_active(territory=viewer.territory)
    return render(request, "ledger/_report_run.html", {
        "territory": viewer.territory, "run": _run(viewer, run_id)})


@login_required
@require_GET
def report_get(request: AuthenticatedHttpRequest, slug: str, run_id: int) -> FileResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    run = _run(viewer, run_id)
    path = runs.report_path(run)
    if path is None:
        raise Http404  # not finished, failed, or replaced by a newer build
    return FileResponse(path.open("rb"), as_attachment=True, content_type=FORMATS[run.fmt],
                        filename=f"{viewer.territory.slug}-{run.year}-rapport.{run.fmt}")
