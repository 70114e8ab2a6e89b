"""The demo's data campaign for the current year, in progress: every actor invited, a
few emails gone, one company that opened its link, one that answered. Written through
the same services as the pages, and only once: a demo whose campaign exists is left as
its user changed it."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from symbiose.web.campaigns.models import Campaign, Invitation, OutboxMessage
from symbiose.web.campaigns.selectors import prefill
from symbiose.web.campaigns.services import campaign_open, invitation_opened
from symbiose.web.campaigns.submission import LineAnswer, invitation_submit
from symbiose.web.territory.models import Actor, Territory

CAMPAIGN_TITLE = "Mise à jour annuelle des bilans de flux"
# Actors (bundle ids) whose address the facilitator typed: reserved example domains.
SENT = ["fromagerie", "brasserie", "scierie_sever", "menuiserie", "blanchisserie",
        "aquavire"]
OPENED = "brasserie"
SUBMITTED = "scierie_sever"
SITE_URL = "http://127.0.0.1:8000/"


def demo_campaign_ensure(*, territory: Territory, by: AbstractBaseUser | None) -> None:
    if Campaign.objects.filter(territory=territory, title=CAMPAIGN_TITLE).exists():
        return
    actors = list(Actor.objects.filter(territory=territory).order_by("name"))
    by_id = {a.external_id: a for a in actors}
    emails = {by_id[i].pk: f"bilan@{i.replace('_', '-')}.example.org"
              for i in SENT if i in by_id}
    campaign = campaign_open(territory=territory, actors=actors, emails=emails, by=by,
                             site_url=SITE_URL, data={
                                 "year": timezone.localdate().year, "title": CAMPAIGN_TITLE,
                                 "reminder_days": [7, 14]})
    # The first emails are shown as gone, not sent: the demo's addresses are examples,
    # and `symbiose demo` should not print two dozen emails at each start.
    now = timezone.now()
    OutboxMessage.objects.filter(invitation__campaign=campaign).update(sent_at=now,
                                                                       attempts=1)
    campaign.invitations.exclude(email="").update(status=Invitation.Status.SENT,
                                                  sent_at=now)
    invitations = {i.actor.external_id: i for i in campaign.invitations.select_related(
        "actor", "campaign__territory")}
    if OPENED in invitations:
        invitation_opened(invitation=invitations[OPENED])
    if SUBMITTED in invitations:
        _answer(invitations[SUBMITTED])


def _answer(invitation: Invitation) -> None:
    """Every line confirmed, the first one's quantity updated by a tenth."""
    lines = prefill(invitation=invitation)
    answers = [LineAnswer(source=line, drop=False, label=line.label,
                          quantity=(line.quantity * 11 / 10).quantize(line.quantity)
                          if n == 0 and line.quantity is not None else line.quantity,
                          unit=line.unit)
               for n, line in enumerate(lines.lines)]
    invitation_submit(invitation=invitation, prefill=lines, answers=answers, new=[],
                      likely=[], by=None)
