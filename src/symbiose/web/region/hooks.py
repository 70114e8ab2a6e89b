"""What the region adds to the synergies' pages: on an operational synergy of a territory
of a region, its facilitator finds the practice sheet."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext

from symbiose.web.synergies.extensions import ProposalLink
from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.visibility import VisibleProposal
from symbiose.web.territory.access import Viewer


def proposal_links(viewer: Viewer, proposal: VisibleProposal) -> list[ProposalLink]:
    if (not viewer.sees_all or proposal.stage != Proposal.Stage.OPERATIONAL
            or proposal.decision != Proposal.Decision.KEPT
            or not hasattr(viewer.territory, "region_link")):
        return []
    return [ProposalLink(gettext("Practice sheet"),
                         reverse("region:sheet_edit", args=[viewer.territory.slug,
                                                            proposal.id]))]
