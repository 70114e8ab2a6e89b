"""Delivering the outbox through Django's configured email backend: one connection for
the whole run, each message marked sent or its error kept for the next run.

Called by `symbiose campaign remind` (cron, a systemd timer) and by the facilitator's
"send now" button; never by a thread of the web process."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from symbiose.web.campaigns.models import Campaign, Invitation, OutboxMessage

# After this many failures a message stays in the outbox with its error, for a person.
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Delivery:
    sent: int
    failed: int


def outbox_pending() -> int:
    return OutboxMessage.objects.filter(sent_at=None, attempts__lt=MAX_ATTEMPTS).count()


def outbox_deliver(*, now: datetime.datetime | None = None, limit: int | None = None,
                   campaign: Campaign | None = None) -> Delivery:
    """Send what waits in the outbox (only `campaign`'s emails when given: the
    facilitator's button sends its own campaign's, not other territories'); a message
    that fails is retried on the next run, up to MAX_ATTEMPTS. Two runs at once do not
    send a message twice on PostgreSQL: the rows being sent are locked and skipped by
    the other."""
    now = now or timezone.now()
    sent: list[OutboxMessage] = []
    failed: list[OutboxMessage] = []
    with transaction.atomic():
        waiting = (OutboxMessage.objects.filter(sent_at=None, attempts__lt=MAX_ATTEMPTS)
                   .select_for_update(skip_locked=True, of=("self",)).order_by("id"))
        if campaign is not None:
            waiting = waiting.filter(invitation__campaign=campaign)
        batch = list(waiting[:limit] if limit else waiting)
        if not batch:
            return Delivery(0, 0)
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
            for message in batch:
                message.attempts += 1
                try:
                    connection.send_messages([EmailMessage(
                        subject=message.subject, body=message.body,
                        from_email=settings.DEFAULT_FROM_EMAIL, to=[message.to])])
                except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
                    message.last_error = f"{type(error).__name__}: {error}"[:1000]
                    failed.append(message)
                else:
                    message.sent_at = now
                    message.last_error = ""
                    sent.append(message)
        except OSError as error:  # the server could not be reached at all
            for message in batch:
                if message not in sent and message not in failed:
                    message.attempts += 1
                    message.last_error = f"{type(error).__name__}: {error}"[:1000]
                    failed.append(message)
        finally:
            connection.close()
        OutboxMessage.objects.bulk_update(sent + failed, ["sent_at", "attempts",
                                                          "last_error"], batch_size=1000)
        # The first email that left makes its invitation "sent", the start of its
        # reminders' clock.
        first = {m.invitation_id for m in sent if m.invitation_id is not None}
        Invitation.objects.filter(pk__in=first, sent_at=None).update(sent_at=now)
        Invitation.objects.filter(pk__in=first, status=Invitation.Status.PENDING).update(
            status=Invitation.Status.SENT)
    return Delivery(len(sent), len(failed))
