"""The territory's dashboard: where the programme stands, at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from symbiose.web.accounts import visibility
from symbiose.web.accounts.http import viewer_or_404


@login_required
def dashboard_home(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug)
    return render(
        request,
        "dashboard/home.html",
        {
            "territory": viewer.territory,
            "viewer": viewer,
            "overview": visibility.overview_visible(viewer=viewer),
            "actors": (None if viewer.is_observer
                       else visibility.actor_list_visible(viewer=viewer)),
            "anonymous_lines": visibility.resource_anonymous_list(viewer=viewer),
        },
    )
