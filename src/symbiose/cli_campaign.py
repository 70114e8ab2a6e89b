"""`symbiose campaign remind`: the scheduler's side of a data campaign. It queues the
reminders that are due and delivers the outbox through the configured email backend;
cron or a systemd timer runs it (README: "Data campaigns"), never the web process."""

from __future__ import annotations

import argparse
import datetime

from symbiose.cli_setup import django_setup


def _when(text: str) -> datetime.datetime:
    """An ISO date-time, for trying the schedule (`--now 2027-03-01T09:00`)."""
    moment = datetime.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def cmd_campaign_remind(args: argparse.Namespace) -> int:
    django_setup()
    from django.utils.translation import gettext

    from symbiose.web.campaigns.outbox import outbox_deliver
    from symbiose.web.campaigns.services import reminders_queue_due

    queued = reminders_queue_due(now=args.now)
    delivered = None if args.queue_only else outbox_deliver(now=args.now, limit=args.limit)
    print(gettext("%(n)d reminder(s) queued.") % {"n": queued})
    if delivered is not None:
        print(gettext("%(sent)d email(s) sent, %(failed)d failed (kept for a retry).")
              % {"sent": delivered.sent, "failed": delivered.failed})
    return 1 if delivered is not None and delivered.failed and not delivered.sent else 0


def add_campaign_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    campaign = sub.add_parser("campaign", help="yearly data campaigns (campaign remind)",
                              description="The yearly data campaign's emails.")
    actions = campaign.add_subparsers(dest="campaign_command", required=True,
                                      metavar="ACTION")
    remind = actions.add_parser(
        "remind", help="queue the reminders due and send the queued emails",
        description="Queue a reminder for each invitation not yet answered whose next "
        "interval has come, then send every queued email through the configured backend "
        "(SYMBIOSE_EMAIL_*), on one connection. A failed email keeps its error and is "
        "retried on the next run. Meant for cron or a systemd timer, every hour or so.")
    remind.add_argument("--now", type=_when, default=None, metavar="ISO-DATETIME",
                        help="the moment to compute due reminders for (default: now)")
    remind.add_argument("--limit", type=int, default=None,
                        help="send at most this many emails in this run")
    remind.add_argument("--queue-only", action="store_true",
                        help="queue the reminders due, send nothing")
    remind.set_defaults(func=cmd_campaign_remind)
