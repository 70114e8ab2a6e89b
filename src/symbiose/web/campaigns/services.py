"""Writes of a data campaign: opening it (invitations and their emails queued in one go),
reminders, addresses, closing. The company's answer is in `submission.py`, delivery of
the outbox in `outbox.py`. Every write is audited as the other apps' are."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from symbiose.web.accounts.models import Membership, Role
from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.campaigns.models import (
    Campaign,
    Invitation,
    OutboxMessage,
    default_intervals,
)
from symbiose.web.territory.models import Actor, Territory

# Emails are written in the interface's first language.
EMAIL_LANGUAGE = "fr"
BATCH = 1000


class CampaignRefused(ValueError):
    """A write the rules refuse, with the sentence to show beside the form."""


def _audit(*, by: AbstractBaseUser | None, campaign: Campaign, detail: str) -> None:
    audit_record(by=by, territory=campaign.territory, action=AuditEvent.Action.CHANGE,
                 detail=f"campaign {campaign.pk}: {detail}")


def member_addresses(*, actor_ids: Iterable[int]) -> dict[int, str]:
    """The address of an active company member of each actor (the first by username),
    in one query: where a campaign's email goes when the facilitator typed none."""
    found: dict[int, str] = {}
    rows = (Membership.actors.through.objects
            .filter(actor_id__in=list(actor_ids), membership__role=Role.MEMBER,
                    membership__is_active=True, membership__user__is_active=True)
            .exclude(membership__user__email="")
            .order_by("membership__user__username")
            .values_list("actor_id", "membership__user__email"))
    for actor_id, email in rows:
        found.setdefault(actor_id, email)
    return found


def invitation_link(invitation: Invitation) -> str:
    return invitation.campaign.site_url.rstrip("/") + reverse(
        "campaigns:link", args=[invitation.token])


def _message(invitation: Invitation, *, reminder: bool, now: datetime.datetime
             ) -> OutboxMessage:
    campaign = invitation.campaign
    with translation.override(EMAIL_LANGUAGE):
        values = {"actor": invitation.actor.name, "year": campaign.year,
                  "title": campaign.title, "territory": campaign.territory.name,
                  "link": invitation_link(invitation)}
        subject = (gettext("Reminder: your %(year)d flow balance — %(territory)s")
                   if reminder else gettext("Your %(year)d flow balance — %(territory)s")
                   ) % values
        body = gettext(
            "Hello,\n\n%(territory)s updates the flow balances of its companies for "
            "%(year)d (%(title)s).\n\nHere is the personal link of %(actor)s: last year's "
            "balance is pre-filled, confirm or change each line, then submit. No account "
            "is needed.\n\n%(link)s\n\nThis link is for your company only: do not pass it "
            "on.\n\nThank you!") % values
        if campaign.closes_on:
            body += "\n\n" + gettext("Please answer before %(date)s.") % {
                "date": campaign.closes_on.strftime("%d/%m/%Y")}
    return OutboxMessage(invitation=invitation, to=invitation.email, subject=subject,
                         body=body, created_at=now)


def campaign_open(*, territory: Territory, data: Mapping[str, Any], actors: Sequence[Actor],
                  emails: Mapping[int, str] | None = None, site_url: str,
                  by: AbstractBaseUser | None,
                  now: datetime.datetime | None = None) -> Campaign:
    """Open a campaign on `actors` and queue one email per invitation with an address.

    The address is the one typed for the actor (`emails`), else an active member's.
    Invitations and messages are bulk-created: a campaign of thousands of actors opens in
    a few seconds, and no email leaves from this request.
    """
    now = now or timezone.now()
    if not actors:
        raise CampaignRefused(gettext("Choose at least one actor of the territory."))
    days = sorted(set(data.get("reminder_days", default_intervals())))
    with transaction.atomic():
        campaign = Campaign(territory=territory, year=data["year"], title=data["title"],
                            reminder_days=days,
                            closes_on=data.get("closes_on"), site_url=site_url,
                            opened_by_id=by.pk if by else None)
        campaign.full_clean()
        campaign.save()
        typed = emails or {}
        members = member_addresses(actor_ids=[a.pk for a in actors])
        invitations = Invitation.objects.bulk_create(
            [Invitation(campaign=campaign, actor=actor,
                        email=typed.get(actor.pk) or members.get(actor.pk, ""))
             for actor in actors], batch_size=BATCH)
        for invitation in invitations:
            invitation.campaign = campaign
        OutboxMessage.objects.bulk_create(
            [_message(i, reminder=False, now=now) for i in invitations if i.email],
            batch_size=BATCH)
        _audit(by=by, campaign=campaign,
               detail=f"opened for {campaign.year}, {len(invitations)} actors")
    return campaign


def campaign_close(*, campaign: Campaign, by: AbstractBaseUser | None) -> Campaign:
    if campaign.state != Campaign.State.CLOSED:
        campaign.state = Campaign.State.CLOSED
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["state", "closed_at"])
        _audit(by=by, campaign=campaign, detail="closed")
    return campaign


def _unanswered(campaign: Campaign) -> QuerySet[Invitation]:
    return (campaign.invitations.exclude(status=Invitation.Status.SUBMITTED)
            .exclude(email="").select_related("actor", "campaign__territory"))


def _remind(invitations: Iterable[Invitation], *, now: datetime.datetime) -> int:
    """Queue a reminder to each invitation (not yet sent: its first email instead)."""
    messages, touched = [], []
    for invitation in invitations:
        first = invitation.status == Invitation.Status.PENDING and not invitation.sent_at
        messages.append(_message(invitation, reminder=not first, now=now))
        if not first:
            invitation.reminders_sent += 1
            invitation.last_reminded_at = now
            touched.append(invitation)
    with transaction.atomic():
        OutboxMessage.objects.bulk_create(messages, batch_size=BATCH)
        Invitation.objects.bulk_update(touched, ["reminders_sent", "last_reminded_at"],
                                       batch_size=BATCH)
    return len(messages)


def _open_or_refuse(campaign: Campaign) -> None:
    if campaign.state == Campaign.State.CLOSED:
        raise CampaignRefused(gettext("This campaign is closed."))


def invitation_remind(*, invitation: Invitation, by: AbstractBaseUser | None,
                      now: datetime.datetime | None = None) -> None:
    """The facilitator's one-click reminder to one company."""
    _open_or_refuse(invitation.campaign)
    if invitation.status == Invitation.Status.SUBMITTED:
        raise CampaignRefused(gettext("This company has already answered."))
    if not invitation.email:
        raise CampaignRefused(gettext("No address for this company: type one, or send "
                                      "its link by hand."))
    _remind([invitation], now=now or timezone.now())
    _audit(by=by, campaign=invitation.campaign, detail=f"reminder to actor "
           f"{invitation.actor_id}")


def campaign_remind_all(*, campaign: Campaign, by: AbstractBaseUser | None,
                        now: datetime.datetime | None = None) -> int:
    """A reminder to every company that has an address and has not answered."""
    _open_or_refuse(campaign)
    count = _remind(_unanswered(campaign).iterator(chunk_size=BATCH),
                    now=now or timezone.now())
    _audit(by=by, campaign=campaign, detail=f"reminder to {count} actors")
    return count


def reminders_queue_due(*, now: datetime.datetime | None = None) -> int:
    """Queue the reminders that are due, once each: for every open campaign, an
    invitation whose first email left at `sent_at` and that had `n` reminders gets the
    next one when `sent_at + reminder_days[n]` has come."""
    now = now or timezone.now()
    due: list[Invitation] = []
    for campaign in Campaign.objects.filter(state=Campaign.State.OPEN):
        if campaign.closes_on and campaign.closes_on < timezone.localdate(now):
            continue
        days = sorted(campaign.reminder_days or [])
        for invitation in (_unanswered(campaign).exclude(sent_at=None)
                           .filter(reminders_sent__lt=len(days))):
            if now >= invitation.sent_at + datetime.timedelta(  # type: ignore[operator]
                    days=days[invitation.reminders_sent]):
                due.append(invitation)
    return _remind(due, now=now) if due else 0


def invitation_email_set(*, invitation: Invitation, email: str,
                         by: AbstractBaseUser | None,
                         now: datetime.datetime | None = None) -> Invitation:
    """Change where a company's emails go; an invitation that never had an address gets
    its first email queued now."""
    email = email.strip()
    if email == invitation.email:
        return invitation
    had_none = not invitation.messages.exists()
    invitation.email = email
    invitation.save(update_fields=["email"])
    if email and had_none and invitation.campaign.state == Campaign.State.OPEN \
            and invitation.status != Invitation.Status.SUBMITTED:
        _message(invitation, reminder=False, now=now or timezone.now()).save()
    _audit(by=by, campaign=invitation.campaign,
           detail=f"address of actor {invitation.actor_id} changed")
    return invitation


def invitation_opened(*, invitation: Invitation,
                      now: datetime.datetime | None = None) -> None:
    """The company opened its link: the first time is what the progress page counts."""
    if invitation.opened_at is None:
        invitation.opened_at = now or timezone.now()
        fields = ["opened_at"]
        if invitation.status in (Invitation.Status.PENDING, Invitation.Status.SENT):
            invitation.status = Invitation.Status.OPENED
            fields.append("status")
        invitation.save(update_fields=fields)
