"""Reads of a campaign: what a company's page shows, and the facilitator's progress
(counts in one aggregate query, invitations a page at a time)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from symbiose.core.knowledge.flows import LikelyFlow
from symbiose.web.campaigns.models import Campaign, Invitation, OutboxMessage
from symbiose.web.territory.models import Resource
from symbiose.web.territory.selectors import balance_likely_flows

PAGE_SIZE = 50
# A likely flow is offered when at least this share of the activity's sites has it.
LIKELY_ENOUGH = 0.3


@dataclass(frozen=True)
class Prefill:
    """The lines a company confirms: its year-Y lines when it has some (`year` is Y),
    else those of its latest earlier year (None: no balance at all yet)."""

    year: int | None
    lines: list[Resource]
    campaign_year: int

    @property
    def same_year(self) -> bool:
        """The company already has lines of the campaign's year: they are changed in
        place, not copied."""
        return self.year == self.campaign_year


def prefill(*, invitation: Invitation) -> Prefill:
    lines = Resource.objects.filter(actor_id=invitation.actor_id,
                                    year__lte=invitation.campaign.year)
    year = lines.order_by("-year").values_list("year", flat=True).first()
    target = invitation.campaign.year
    if year is None:
        return Prefill(None, [], target)
    return Prefill(year, list(lines.filter(year=year).order_by("direction", "label", "id")),
                   target)


def likely_offered(*, invitation: Invitation, lines: list[Resource]) -> list[LikelyFlow]:
    return [flow for flow in balance_likely_flows(actor=invitation.actor,
                                                  year=invitation.campaign.year,
                                                  lines=lines)
            if flow.likelihood >= LIKELY_ENOUGH]


def campaign_counts(*, campaign: Campaign) -> dict[str, int]:
    """How many invitations in each status, and how many emails wait: one query each."""
    statuses = {s.value: Count("id", filter=Q(status=s.value))
                for s in Invitation.Status}
    counts = campaign.invitations.aggregate(
        total=Count("id"), no_address=Count("id", filter=Q(email="")), **statuses)
    counts["queued"] = OutboxMessage.objects.filter(
        invitation__campaign=campaign, sent_at=None).count()
    counts["failing"] = OutboxMessage.objects.filter(
        invitation__campaign=campaign, sent_at=None).exclude(last_error="").count()
    return counts


def invitations_filtered(*, campaign: Campaign, status: str = "", query: str = ""
                         ) -> QuerySet[Invitation]:
    invitations = campaign.invitations.select_related("actor").order_by("actor__name", "id")
    if status in Invitation.Status.values:
        invitations = invitations.filter(status=status)
    elif status == "no_address":
        invitations = invitations.filter(email="")
    if query:
        invitations = invitations.filter(Q(actor__name__icontains=query)
                                         | Q(email__icontains=query))
    return invitations


def invitations_page(*, campaign: Campaign, status: str = "", query: str = "",
                     page: str | int = 1) -> Page[Invitation]:
    return Paginator(invitations_filtered(campaign=campaign, status=status, query=query),
                     PAGE_SIZE).get_page(page)


def messages_failing(*, campaign: Campaign, limit: int = PAGE_SIZE) -> list[OutboxMessage]:
    """The campaign's emails that did not leave, each with its address and the server's
    reason: what the facilitator corrects (an address) or hands over by hand."""
    return list(OutboxMessage.objects.filter(invitation__campaign=campaign, sent_at=None)
                .exclude(last_error="").select_related("invitation__actor")
                .order_by("to", "id")[:limit])
