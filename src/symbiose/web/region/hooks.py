"""What the region adds to the synergies' pages: on an operational synergy of a territory
of a region, its facilitator finds the practice sheet. And what it does when a
territory's ledger or consents change: its regional figures are read again once the
change is committed."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext

from symbiose.web.ledger.models import LedgerEntry, ReportConsent
from symbiose.web.region.selectors import territory_figures_refresh
from symbiose.web.synergies.extensions import ProposalLink
from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.visibility import VisibleProposal
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Actor


def proposal_links(viewer: Viewer, proposal: VisibleProposal) -> list[ProposalLink]:
    if (not viewer.sees_all or proposal.stage != Proposal.Stage.OPERATIONAL
            or proposal.decision != Proposal.Decision.KEPT
            or not hasattr(viewer.territory, "region_link")):
        return []
    return [ProposalLink(gettext("Practice sheet"),
                         reverse("region:sheet_edit", args=[viewer.territory.slug,
                                                            proposal.id]))]


def _refresh_on_commit(territory_id: int) -> None:
    """Once per territory and transaction (an estimate writes hundreds of entries at
    once); never failing the write it follows (robust)."""
    def refresh() -> None:
        refresh.region_territory = None  # type: ignore[attr-defined]  # no longer waiting
        territory_figures_refresh(territory_id=territory_id)

    if any(getattr(waiting[1], "region_territory", None) == territory_id
           for waiting in connection.run_on_commit):  # (savepoints, callback, robust)
        return
    refresh.region_territory = territory_id  # type: ignore[attr-defined]
    transaction.on_commit(refresh, robust=True)


def ledger_entry_changed(sender: type[LedgerEntry], instance: LedgerEntry,
                         **kwargs: Any) -> None:
    _refresh_on_commit(instance.territory_id)


def consent_changed(sender: type[ReportConsent], instance: ReportConsent,
                    **kwargs: Any) -> None:
    territory_id = (Actor.objects.filter(pk=instance.actor_id)
                    .values_list("territory_id", flat=True).first())
    if territory_id is not None:
        _refresh_on_commit(territory_id)
