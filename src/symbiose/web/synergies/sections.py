"""The proposals section of an actor's page (see `territory.sections`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.outlets import RADIUS_KM, actor_outlets
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


def _outlets_context(viewer: Viewer, actor: Actor) -> dict[str, Any]:
    language = "en" if (get_language() or "fr").startswith("en") else "fr"
    return {"outlets": actor_outlets(actor=actor, language=language),
            "radius_km": int(RADIUS_KM), "links": viewer.sees_all}


actor_outlets_section = ActorSection(
    name="outlets", template="synergies/_actor_outlets.html", context=_outlets_context)
