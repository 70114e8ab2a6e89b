"""Pages of a territory: the list of territories and an actor's page, thin views over
the visibility rules (`territory.visibility`); a page the reader may not see answers 404.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.audit.selectors import audit_recent_changes
from symbiose.web.territory import visibility
from symbiose.web.territory.access import territory_cards_visible, viewer_or_404
from symbiose.web.territory.labels import naf_label
from symbiose.web.territory.sections import actor_sections


@login_required
def territory_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "territory/territory_list.html", {
        "cards": territory_cards_visible(user=request.user)})


@login_required
def actor_detail(request: AuthenticatedHttpRequest, slug: str, actor_id: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug)
    try:
        actor = visibility.actor_get_visible(viewer=viewer, external_id=actor_id)
        balances, withheld = visibility.actor_balance_visible(viewer=viewer, actor=actor)
    except NoAccess as missing:
        raise Http404 from missing
    # Another actor's proposals or changes would tie it to what a member reads unnamed.
    insider = viewer.sees_all or viewer.owns(actor.pk)
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
            "sections": actor_sections(viewer=viewer, actor=actor) if insider else [],
            "events": audit_recent_changes(actor=actor) if insider else [],
        },
    )
