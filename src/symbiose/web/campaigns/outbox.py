"""Delivering the outbox through Django's configured email backend: one connection for
the whole run, each message marked sent or its error kept for the next run.

Called by `symbiose campaign remind` (cron, a systemd timer) and by the facilitator's
"send now" button; never by a thread of the web process."""

from __future__ import annotations

import datetime
from collections.abc import Callable
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
                   campaign: Campaign | None = None,
                   progress: Callable[[Delivery], None] | None = None) -> Delivery:
    """Send what waits in the outbox (only `campaign`'s emails when given: the
    facilitator's button sends its own campaign's, not other territories'); a message
    that fails is retried on the next run, up to MAX_ATTEMPTS. `progress` hears the
    counts after each message.

    One message at a time, each sent and recorded sent in its own transaction: a run
    stopped midway (a worker lost, a server restarted) leaves every message that left
    marked sent, and the next run sends only the others. Two runs at once do not send a
    message twice on PostgreSQL: the row being sent is locked and skipped by the other.
    A server that cannot be reached at all stops the run: the messages not yet tried
    keep their attempts for when it is back."""
    now = now or timezone.now()
    sent = failed = 0
    after = 0  # the run walks the outbox once, in order: a failure is not retried here
    connection = get_connection(fail_silently=False)
    opened = False
    try:
        while limit is None or sent + failed < limit:
            with transaction.atomic():
                waiting = (OutboxMessage.objects
                           .filter(sent_at=None, attempts__lt=MAX_ATTEMPTS, id__gt=after)
                           .select_for_update(skip_locked=True, of=("self",)).order_by("id"))
                if campaign is not None:
                    waiting = waiting.filter(invitation__campaign=campaign)
                message = waiting.first()
                if message is None:
                    break
                after = message.pk
                message.attempts += 1
                try:
                    if not opened:
                        connection.open()
                        opened = True
                    connection.send_messages([EmailMessage(
                        subject=message.subject, body=message.body,
                        from_email=settings.DEFAULT_FROM_EMAIL, to=[message.to])])
                except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
                    message.last_error = f"{type(error).__name__}: {error}"[:1000]
                    failed += 1
                else:
                    message.sent_at = now
                    message.last_error = ""
                    sent += 1
                message.save(update_fields=["sent_at", "attempts", "last_error"])
                if message.sent_at is not None and message.invitation_id is not None:
                    _invitation_sent(message.invitation_id, now)
            if progress is not None:
                progress(Delivery(sent, failed))
            if not opened:
                break  # the server could not be reached at all
    finally:
        connection.close()
    return Delivery(sent, failed)


def _invitation_sent(invitation_id: int, now: datetime.datetime) -> None:
    """The first email that left makes its invitation "sent", the start of its
    reminders' clock."""
    Invitation.objects.filter(pk=invitation_id, sent_at=None).update(sent_at=now)
    Invitation.objects.filter(pk=invitation_id, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.SENT)
