"""The open campaign's progress on the dashboard: the facilitator's, no one else's."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tests.web.campaigns.conftest import Setup


def test_the_facilitator_follows_the_open_campaign_from_the_dashboard(setup: Setup) -> None:
    dashboard = reverse("dashboard:home", args=[setup.territory.slug])
    assert 'id="campaign-panel"' not in setup.client("facilitator").get(dashboard).content.decode()
    campaign = setup.open()
    invitation = campaign.invitations.get(actor=setup.actors["scierie"])
    invitation.status, invitation.submitted_at = "submitted", timezone.now()
    invitation.save()
    page = setup.client("facilitator").get(dashboard).content.decode()
    assert 'id="campaign-panel"' in page
    assert '<strong id="panel-submitted">1</strong> / 3' in page
    assert reverse("campaigns:detail", args=[setup.territory.slug, campaign.pk]) in page
    for role in ("member", "observer"):
        response = setup.client(role).get(dashboard)
        assert 'id="campaign-panel"' not in response.content.decode()
    campaign.state = "closed"
    campaign.save()
    assert 'id="campaign-panel"' not in setup.client("facilitator").get(
        dashboard).content.decode()
