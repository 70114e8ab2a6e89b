"""Who reaches a campaign. Its pages are the facilitator's (the addresses and links of
every company are there); a personal link opens one invitation to whoever holds it,
except a logged-in account of someone else: neither the territory's facilitator nor a
member of that actor."""

from __future__ import annotations

from django.db.models import QuerySet

from symbiose.web.accounts.viewer import AnyUser, NoAccess, is_administrator, viewer_get
from symbiose.web.campaigns.models import Campaign, Invitation
from symbiose.web.territory.access import Viewer


def campaign_list_managed(*, viewer: Viewer) -> QuerySet[Campaign]:
    if not viewer.sees_all:
        raise NoAccess
    return Campaign.objects.filter(territory=viewer.territory)


def campaign_get_managed(*, viewer: Viewer, campaign_id: int) -> Campaign:
    found = (campaign_list_managed(viewer=viewer).select_related("territory")
             .filter(pk=campaign_id).first())
    if found is None:
        raise NoAccess
    return found


def invitation_get_managed(*, campaign: Campaign, invitation_id: int) -> Invitation:
    found = (campaign.invitations.select_related("actor", "campaign__territory")
             .filter(pk=invitation_id).first())
    if found is None:
        raise NoAccess
    return found


def invitation_for_token(*, token: str) -> Invitation:
    """The invitation whose personal link this is; NoAccess for any other string."""
    if not token or len(token) > 64:
        raise NoAccess
    found = (Invitation.objects.filter(token=token)
             .select_related("campaign__territory", "actor").first())
    if found is None:
        raise NoAccess
    return found


COMPANY, FACILITATOR, REFUSED = "company", "facilitator", "refused"


def link_reader(*, user: AnyUser, invitation: Invitation) -> str:
    """Who opens a personal link: the company (anyone holding it without an account, or
    a member of that actor), its facilitator (a preview, which does not count as opened),
    or REFUSED for a logged-in account that is someone else: the link was forwarded, or
    the wrong person is logged in on this browser."""
    if not user.is_authenticated:
        return COMPANY
    if is_administrator(user):
        return FACILITATOR
    try:
        viewer = viewer_get(user=user, territory=invitation.campaign.territory)
    except NoAccess:
        return REFUSED
    if viewer.owns(invitation.actor_id):
        return COMPANY
    return FACILITATOR if viewer.sees_all else REFUSED
