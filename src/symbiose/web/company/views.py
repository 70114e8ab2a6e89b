"""The company member's own pages: its home (the landing page after logging in) and its
choice of the weekly digest."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.company import selectors, services
from symbiose.web.company.models import DigestChoice


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
