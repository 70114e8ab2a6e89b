"""The territory's dashboard and map: where the programme stands, at a glance."""

from __future__ import annotations

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.dashboard.forms import MapFilterForm
from symbiose.web.dashboard.visibility.figures import dashboard_visible
from symbiose.web.dashboard.visibility.map import map_data_visible, map_kinds
from symbiose.web.territory.access import viewer_or_404
from symbiose.web.territory.sections import territory_panels
from symbiose.web.territory.visibility import resource_anonymous_list


@login_required
# plotly.js styles its diagram with a <style> element and style attributes of its own;
# scripts stay forbidden inline here as everywhere. (django-csp types a view as taking the
# request alone.)
@csp_update({"style-src": [UNSAFE_INLINE]})  # type: ignore[arg-type]
def dashboard_home(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug)
    dashboard = dashboard_visible(viewer=viewer)
    return render(
        request,
        "dashboard/home.html",
        {
            "territory": viewer.territory,
            "viewer": viewer,
            "dashboard": dashboard,
            "overview": dashboard.overview,
            "anonymous_lines": resource_anonymous_list(viewer=viewer),
            "panels": territory_panels(viewer=viewer),
        },
    )


@login_required
def map_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug)
    if viewer.is_observer:  # aggregates only: no actor is placed for an observer
        raise Http404
    form = MapFilterForm(request.GET or None, territory=viewer.territory)
    query = request.GET.urlencode()
    data_url = reverse("dashboard:map_data", args=[slug]) + (f"?{query}" if query else "")
    return render(
        request,
        "dashboard/map.html",
        {
            "territory": viewer.territory,
            "viewer": viewer,
            "form": form,
            "kinds": map_kinds(),
            "map_text": _map_text(),
            "map_config": {
                "data_url": data_url,
                "tile_url": settings.MAP_TILE_URL,
                "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
                "actor_url": reverse("territory:actor", args=[slug, "__ID__"]),
            },
        },
    )


def _map_text() -> dict[str, str]:
    """The words map.js writes, translated here."""
    return {
        "actors": gettext("Actors"),
        "tpy": gettext("t/year"),
        "open": gettext("Open the actor page"),
        "count": gettext("%(actors)s actors on the map, %(deposits)s deposits."),
        "unplaced": gettext("%(n)s without coordinates are not shown."),
        "none": gettext("No actor matches these filters."),
        "hidden": gettext("%(n)s end(s) of this proposal are not shown to you."),
        "failed": gettext("The map data could not be loaded. Reload the page to try again."),
        "year": gettext("Outputs of %(year)s."),
    }


@login_required
def map_data(request: AuthenticatedHttpRequest, slug: str) -> JsonResponse:
    viewer = viewer_or_404(request, slug)
    if viewer.is_observer:
        raise Http404
    form = MapFilterForm(request.GET, territory=viewer.territory)
    data = map_data_visible(viewer=viewer, query=form.query())
    if form.errors:
        data["errors"] = {field: [str(e) for e in errors] for field, errors in form.errors.items()}
    return JsonResponse(data, json_dumps_params={"separators": (",", ":")})
