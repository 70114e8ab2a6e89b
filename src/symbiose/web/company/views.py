"""The company member's own pages: its home (the landing page after logging in), its
choice of the weekly digest, and its side of the impact ledger: the figures of its
synergies, declared from here, and its agreement to be named in reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.company import figures, selectors, services
from symbiose.web.company.forms import CompanyDeclareForm
from symbiose.web.company.models import DigestChoice
from symbiose.web.ledger.forms import DeclareForm
from symbiose.web.ledger.services import LedgerRefused
from symbiose.web.territory.access import Viewer, viewer_or_404
from symbiose.web.territory.models import Actor


@login_required
@require_GET
def landing(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where logging in leads: a company member to its home, anyone else to its
    territories."""
    if selectors.is_company_member_only(request.user):
        return redirect("company:home")
    return redirect("territory:list")


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.has_company_home(request.user):
        return redirect("territory:list")
    since = services.home_visit_record(user=request.user, now=timezone.now())
    homes = selectors.company_home(user=request.user, today=timezone.localdate(),
                                   since=since)
    choice = DigestChoice.objects.filter(user_id=request.user.pk).first()
    return render(request, "company/home.html", {
        "homes": homes, "since": since, "digest_weekly": bool(choice and choice.weekly),
        "has_email": bool(request.user.email)})


@login_required
@require_POST
def digest(request: AuthenticatedHttpRequest) -> HttpResponse:
    weekly = request.POST.get("weekly") == "1"
    services.digest_choose(user=request.user, weekly=weekly)
    messages.success(request, gettext("You will receive the weekly digest.") if weekly
                     else gettext("You will no longer receive the weekly digest."))
    return redirect("company:home")


def _member(request: AuthenticatedHttpRequest, slug: str) -> Viewer:
    """The member of one of the territory's companies, or a 404: these pages speak for a
    company, and nobody else has one here."""
    viewer = viewer_or_404(request, slug)
    if not viewer.actor_ids:
        raise Http404
    return viewer


def _year(request: AuthenticatedHttpRequest) -> int:
    raw = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= this_year + 1 else this_year


@login_required
@require_GET
def figures_home(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = _member(request, slug)
    year = _year(request)
    return render(request, "company/figures.html", {
        "territory": viewer.territory, "year": year,
        "years": [year - 1, year, year + 1] if year < timezone.localdate().year
        else [year - 2, year - 1, year],
        "synergies": figures.company_figures(viewer=viewer, year=year),
        "consents": figures.company_consents(viewer=viewer)})


@login_required
def figures_declare(request: AuthenticatedHttpRequest, slug: str,
                    proposal_id: int) -> HttpResponse:
    """One synergy's figures of a year, and the form to declare one (GET and POST: a
    synergy none of the member's companies is part of is a 404 either way)."""
    viewer = _member(request, slug)
    found = figures.company_synergy(viewer=viewer, proposal_id=proposal_id)
    if found is None:
        raise Http404
    synergy, own = found
    year = _year(request)
    form = CompanyDeclareForm(request.POST or None, actors=own, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.figure_declare(
                viewer=viewer, synergy=synergy, actor=data["declared_by"], year=data["year"],
                metric=data["metric"], value=data["value"], unit=data["unit"],
                note=data["note"], replace_verified=data["replace_verified"])
        except LedgerRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None,
                           str(refused))
        else:
            messages.success(request, gettext(
                "Your figure is recorded as declared by %(company)s: your facilitator sees it "
                "in the ledger.") % {"company": entry.declared_by})
            return redirect(reverse("company:synergy_figures", args=[slug, synergy.pk])
                            + f"?year={entry.year}")
    year = form.cleaned_data["year"] if form.is_bound and "year" in form.cleaned_data else year
    shown = figures.company_figures(viewer=viewer, year=year, proposal_id=synergy.pk)
    return render(request, "company/synergy_figures.html", {
        "territory": viewer.territory, "synergy": synergy, "own": own, "year": year,
        "figures": shown[0].figures if shown else [], "form": form,
        "units": DeclareForm.units(),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def report_consent(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = _member(request, slug)
    raw = request.POST.get("actor", "")
    actor = (Actor.objects.filter(pk=int(raw), territory=viewer.territory).first()
             if raw.isdigit() else None)
    if actor is None or not viewer.owns(actor.pk):
        raise Http404
    agreed = request.POST.get("agreed") == "1"
    services.report_consent_set(viewer=viewer, actor=actor, agreed=agreed)
    messages.success(request, gettext(
        "%(company)s may now be named with its figures.") % {"company": actor.name} if agreed
        else gettext("%(company)s will no longer be named: its figures appear only within "
                     "totals.") % {"company": actor.name})
    return redirect(reverse("company:figures", args=[slug]) + "#consent")
