"""Pages of a territory: thin views over the visibility selectors, rendering templates.

Every read of actors' data goes through `symbiose.web.accounts.visibility`, which applies
the reader's role on the territory; a page the reader may not see answers 404.
"""

from __future__ import annotations

import datetime
import shutil
import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import get_language

from symbiose.core.errors import UnknownCodeError
from symbiose.core.nomenclature.naf import naf_lookup
from symbiose.web.accounts import visibility
from symbiose.web.accounts.http import viewer_or_404
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory import selectors, services


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
    insider = viewer.sees_all or viewer.owns(actor.pk)
    # Another actor's proposals would tie it to the anonymous sides a member reads there.
    stages = dict(Proposal.Stage.choices)
    proposals = [
        (proposal, stages.get(proposal.stage, proposal.stage))
        for proposal in (visibility.proposal_list_visible(
            viewer=viewer, ids=selectors.actor_proposal_ids(actor=actor)) if insider else [])
    ]
    return render(
        request,
        "territory/actor_detail.html",
        {
            "territory": viewer.territory,
            "viewer": viewer,
            "actor": actor,
            "naf_label": naf_label(actor.naf_code),
            "balances": balances,
            "withheld": withheld,
            "editable": insider,
            "this_year": datetime.date.today().year,
            "proposals": proposals,
            "events": selectors.actor_recent_events(actor=actor) if insider else [],
        },
    )


def naf_label(code: str) -> str:
    """The activity's label in the reader's language ("" for no or an unknown code)."""
    if not code:
        return ""
    try:
        found = naf_lookup(code)
    except UnknownCodeError:
        return ""
    return found.label_en if (get_language() or "fr").startswith("en") else found.label_fr


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
