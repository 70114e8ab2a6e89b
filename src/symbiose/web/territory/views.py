"""Pages of a territory: thin views over the visibility selectors, rendering templates.

Every read of actors' data goes through `symbiose.web.accounts.visibility`, which applies
the reader's role on the territory; a page the reader may not see answers 404.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from symbiose.web.accounts import visibility
from symbiose.web.accounts.http import viewer_or_404
from symbiose.web.territory import services


@login_required
def territory_list(request: HttpRequest) -> HttpResponse:
    return render(request, "territory/territory_list.html", {
        "cards": visibility.territory_cards_visible(user=request.user)})


@login_required
def actor_detail(request: HttpRequest, slug: str, actor_id: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug)
    try:
        actor = visibility.actor_get_visible(viewer=viewer, external_id=actor_id)
        balances, withheld = visibility.actor_balance_visible(viewer=viewer, actor=actor)
    except visibility.NoAccess as missing:
        raise Http404 from missing
    return render(
        request,
        "territory/actor_detail.html",
        {
            "territory": viewer.territory,
            "viewer": viewer,
            "actor": actor,
            "balances": balances,
            "withheld": withheld,
            "editable": viewer.sees_all or viewer.owns(actor.pk),
        },
    )


@login_required
def territory_export(request: HttpRequest, slug: str) -> FileResponse:
    """The territory as an .xlsx bundle: all of it for its facilitator, a member's own
    actors for a member."""
    viewer = viewer_or_404(request, slug)
    try:
        scope = visibility.export_scope(viewer=viewer)
    except visibility.NoAccess as denied:
        raise Http404 from denied
    territory = viewer.territory
    workdir = Path(tempfile.mkdtemp(prefix="symbiose-export-"))
    path = workdir / f"{slugify(territory.name) or 'territoire'}.xlsx"
    try:
        services.territory_export_bundle(territory=territory, path=path, scope=scope,
                                         by=viewer.user)
        handle = path.open("rb")
    finally:
        # The open handle keeps the data readable; the folder is gone at once.
        shutil.rmtree(workdir, ignore_errors=True)
    return FileResponse(handle, as_attachment=True, filename=path.name)
