"""What the lending adds to other apps' pages (registered in `apps.py`): a section on an
actor's page (offer its lines, see its offers), a panel on the dashboard, and a line on
the programme board's card of a sharing synergy a loan made."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import ngettext

from symbiose.web.accounts.anonymise import K_MIN
from symbiose.web.lending.models import LENDABLE_KINDS, Booking, Offer
from symbiose.web.lending.selectors import lending_figures
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Actor, Resource
from symbiose.web.territory.sections import ActorSection, TerritoryPanel


def _actor_context(viewer: Viewer, actor: Actor) -> dict[str, Any]:
    """Shown to a reader who may edit the actor (territory's rule for sections)."""
    offers = list(Offer.objects.filter(actor=actor).order_by("title", "id"))
    lines = list(Resource.objects.filter(
        actor=actor, kind__in=LENDABLE_KINDS, direction=Resource.Direction.OUT,
        offer__isnull=True).order_by("-year", "label", "id"))
    return {"offers": offers, "lines": lines, "observer": viewer.is_observer}


actor_section = ActorSection("lending", "lending/_actor_section.html", _actor_context)


def _panel_context(viewer: Viewer) -> dict[str, Any] | None:
    figures = lending_figures(viewer=viewer)
    if figures.offered == 0 and figures.bookings == 0:
        return None
    if viewer.is_observer and figures.companies < K_MIN:
        return None  # an observer reads aggregates of K_MIN companies at least
    return {"figures": figures}


dashboard_panel = TerritoryPanel("lending", "lending/_dashboard_panel.html", _panel_context)


def board_notes(viewer: Viewer, ids: Sequence[int]) -> dict[int, list[str]]:
    """"Lent 3 times through Symbiose" on the card of a sharing synergy loans made; for
    the facilitator and the two companies."""
    loans = Booking.objects.filter(offer__territory=viewer.territory,
                                   proposal_id__in=list(ids),
                                   status=Booking.Status.RETURNED)
    if not viewer.sees_all:
        mine = list(viewer.actor_ids)
        loans = loans.filter(Q(borrower_id__in=mine) | Q(offer__actor_id__in=mine))
    counts: dict[int, int] = {}
    for proposal_id in loans.values_list("proposal_id", flat=True):
        counts[proposal_id] = counts.get(proposal_id, 0) + 1
    return {pk: [ngettext("Lent %(n)d time through Symbiose",
                          "Lent %(n)d times through Symbiose", n) % {"n": n}]
            for pk, n in counts.items()}
