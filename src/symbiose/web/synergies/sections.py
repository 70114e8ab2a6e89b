"""The proposals section of an actor's page (see `territory.sections`)."""

from __future__ import annotations

from typing import Any

from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.selectors import actor_proposal_ids
from symbiose.web.synergies.visibility import proposal_list_visible
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Actor
from symbiose.web.territory.sections import ActorSection


def _context(viewer: Viewer, actor: Actor) -> dict[str, Any]:
    stages = dict(Proposal.Stage.choices)
    shown = proposal_list_visible(viewer=viewer, ids=actor_proposal_ids(actor=actor))
    return {"proposals": [(proposal, stages.get(proposal.stage, proposal.stage))
                          for proposal in shown]}


actor_proposals_section = ActorSection(
    name="proposals", template="synergies/_actor_proposals.html", context=_context)
