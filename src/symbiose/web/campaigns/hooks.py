"""What the campaigns add to another app's page: the open campaign's progress on the
territory's dashboard, for its facilitator (the dashboard does not import this app)."""

from __future__ import annotations

from typing import Any

from symbiose.web.campaigns.models import Campaign
from symbiose.web.campaigns.selectors import campaign_counts
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.sections import TerritoryPanel


def _panel_context(viewer: Viewer) -> dict[str, Any] | None:
    if not viewer.sees_all:
        return None  # who answered is the facilitator's follow-up, not a public figure
    campaign = (Campaign.objects.filter(territory=viewer.territory, state=Campaign.State.OPEN)
                .order_by("-year", "-pk").first())
    if campaign is None:
        return None
    return {"campaign": campaign, "counts": campaign_counts(campaign=campaign)}


dashboard_panel = TerritoryPanel("campaign", "campaigns/_dashboard_panel.html",
                                 _panel_context)
