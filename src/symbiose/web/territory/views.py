"""Pages of a territory: thin views over selectors, rendering templates."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from symbiose.web.territory import selectors, services
from symbiose.web.territory.models import Actor, Territory


def _territory_or_404(slug: str) -> Territory:
    try:
        return selectors.territory_get(slug=slug)
    except Territory.DoesNotExist as missing:
        raise Http404 from missing


@login_required
def territory_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "territory/territory_list.html", {"territories": selectors.territory_list()}
    )


@login_required
def territory_overview(request: HttpRequest, slug: str) -> HttpResponse:
    territory = _territory_or_404(slug)
    return render(
        request,
        "territory/overview.html",
        {
            "territory": territory,
            "overview": selectors.territory_overview(territory=territory),
            "actors": selectors.actor_list(territory=territory),
        },
    )


@login_required
def actor_detail(request: HttpRequest, slug: str, actor_id: str) -> HttpResponse:
    territory = _territory_or_404(slug)
    try:
        actor = selectors.actor_get(territory=territory, external_id=actor_id)
    except Actor.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request,
        "territory/actor_detail.html",
        {
            "territory": territory,
            "actor": actor,
            "balances": selectors.actor_resources_by_year(actor=actor),
        },
    )


@login_required
def territory_export(request: HttpRequest, slug: str) -> FileResponse:
    """The territory as an .xlsx bundle, for the facilitator's spreadsheet."""
    territory = _territory_or_404(slug)
    if not request.user.is_staff:
        raise Http404
    workdir = Path(tempfile.mkdtemp(prefix="symbiose-export-"))
    path = workdir / f"{slugify(territory.name) or 'territoire'}.xlsx"
    try:
        services.territory_export_bundle(territory=territory, path=path)
        handle = path.open("rb")
    finally:
        # The open handle keeps the data readable; the folder is gone at once.
        shutil.rmtree(workdir, ignore_errors=True)
    return FileResponse(handle, as_attachment=True, filename=path.name)
