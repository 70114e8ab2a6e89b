"""Opening a campaign queues its emails; the command sends them, reminds when due, once,
and keeps errors for a retry."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from symbiose.cli import main
from symbiose.web.campaigns import services
from symbiose.web.campaigns.models import Campaign, Invitation, OutboxMessage
from symbiose.web.campaigns.outbox import MAX_ATTEMPTS, outbox_deliver
from tests.web.campaigns.conftest import NOW, Setup

DAY = datetime.timedelta(days=1)


def test_opening_queues_one_email_per_invitation_with_an_address(setup: Setup) -> None:
    campaign = setup.open(emails={setup.actors["scierie"].pk: "bois@scierie.example"})
    invitations = {i.actor.external_id: i for i in campaign.invitations.all()}
    assert set(invitations) == {"fromagerie", "scierie", "menuiserie"}
    assert invitations["fromagerie"].email == "lait@fromagerie.example"  # its member's
    assert invitations["scierie"].email == "bois@scierie.example"  # typed
    assert invitations["menuiserie"].email == ""  # nobody to write to
    queued = OutboxMessage.objects.order_by("to")
    assert [m.to for m in queued] == ["bois@scierie.example", "lait@fromagerie.example"]
    message = queued.get(to="lait@fromagerie.example")
    link = "http://testserver" + reverse("campaigns:link",
                                         args=[invitations["fromagerie"].token])
    assert link in message.body and "2026" in message.subject
    with translation.override("fr"):  # written in the interface's first language
        assert message.subject == gettext("Your %(year)d flow balance — %(territory)s") % {
            "year": 2026, "territory": "Bocage"}
    assert mail.outbox == []  # nothing left from the request
    assert {i.status for i in invitations.values()} == {Invitation.Status.PENDING}


def test_the_page_posted_twice_opens_one_campaign(setup: Setup) -> None:
    client = setup.client("facilitator")
    url = reverse("campaigns:list", args=["bocage"])
    form = {"title": "Bilans 2026", "year": "2026", "everyone": "on",
            "reminder_days": "7, 14", "submission_token": "same-form"}
    first = client.post(url, form)
    second = client.post(url, form)
    campaign = Campaign.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse(
        "campaigns:detail", args=["bocage", campaign.pk])
    assert campaign.invitations.count() == 3 and campaign.reminder_days == [7, 14]
    assert OutboxMessage.objects.count() == 1


def test_the_form_refuses_bad_intervals_beside_the_field(setup: Setup) -> None:
    response = setup.client("facilitator").post(
        reverse("campaigns:list", args=["bocage"]),
        {"title": "Bilans", "year": "2026", "everyone": "on", "reminder_days": "7, -3"})
    assert response.status_code == 400
    assert "« -3 »" in response.content.decode() or "“-3”" in response.content.decode()
    assert not Campaign.objects.exists()


def test_delivery_marks_sent_and_starts_the_reminder_clock(setup: Setup) -> None:
    campaign = setup.open()
    delivery = outbox_deliver(now=NOW)
    assert (delivery.sent, delivery.failed) == (1, 0)
    assert [m.to for m in mail.outbox] == [["lait@fromagerie.example"]]
    invitation = campaign.invitations.get(actor=setup.actors["fromagerie"])
    assert invitation.status == Invitation.Status.SENT and invitation.sent_at == NOW
    assert outbox_deliver(now=NOW).sent == 0  # nothing sent twice


def test_reminders_go_when_due_once_each(setup: Setup) -> None:
    campaign = setup.open()
    outbox_deliver(now=NOW)
    invitation = campaign.invitations.get(actor=setup.actors["fromagerie"])
    assert services.reminders_queue_due(now=NOW + 6 * DAY) == 0  # not before its time
    assert services.reminders_queue_due(now=NOW + 7 * DAY) == 1
    assert services.reminders_queue_due(now=NOW + 8 * DAY) == 0  # once
    invitation.refresh_from_db()
    assert invitation.reminders_sent == 1 and invitation.last_reminded_at == NOW + 7 * DAY
    assert services.reminders_queue_due(now=NOW + 14 * DAY) == 1  # the second interval
    assert services.reminders_queue_due(now=NOW + 60 * DAY) == 0  # no third one
    assert OutboxMessage.objects.count() == 3  # the invitation and two reminders


def test_no_reminder_once_submitted_or_closed(setup: Setup) -> None:
    campaign = setup.open()
    outbox_deliver(now=NOW)
    Invitation.objects.filter(campaign=campaign).update(status=Invitation.Status.SUBMITTED)
    assert services.reminders_queue_due(now=NOW + 30 * DAY) == 0
    Invitation.objects.filter(campaign=campaign).update(status=Invitation.Status.SENT)
    services.campaign_close(campaign=campaign, by=None)
    assert services.reminders_queue_due(now=NOW + 30 * DAY) == 0


class Flaky:
    """An email backend whose server refuses one address, then recovers."""

    refuse = {"lait@fromagerie.example"}

    def __init__(self, **kwargs: Any) -> None:
        self.opened = 0

    def open(self) -> None:
        self.opened += 1

    def close(self) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        for message in messages:
            if set(message.to) & self.refuse:
                raise ConnectionRefusedError("550 mailbox unavailable")
            mail.outbox.append(message)
        return len(messages)


@override_settings(EMAIL_BACKEND="tests.web.campaigns.test_open_and_remind.Flaky")
def test_delivery_errors_are_recorded_and_retried(setup: Setup) -> None:
    setup.open(emails={setup.actors["scierie"].pk: "bois@scierie.example"})
    delivery = outbox_deliver(now=NOW)
    assert (delivery.sent, delivery.failed) == (1, 1)
    failed = OutboxMessage.objects.get(to="lait@fromagerie.example")
    assert failed.sent_at is None and failed.attempts == 1
    assert "550 mailbox unavailable" in failed.last_error
    Flaky.refuse = set()
    try:
        assert outbox_deliver(now=NOW + DAY).sent == 1  # the retry, the other not again
    finally:
        Flaky.refuse = {"lait@fromagerie.example"}
    failed.refresh_from_db()
    assert failed.sent_at == NOW + DAY and failed.attempts == 2 and failed.last_error == ""
    assert len(mail.outbox) == 2


@override_settings(EMAIL_BACKEND="tests.web.campaigns.test_open_and_remind.Flaky")
def test_a_message_failing_for_good_stops_being_tried(setup: Setup) -> None:
    setup.open()
    for n in range(MAX_ATTEMPTS + 2):
        outbox_deliver(now=NOW + n * DAY)
    assert OutboxMessage.objects.get().attempts == MAX_ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_the_command_reminds_and_sends(setup: Setup, capsys: Any) -> None:
    campaign = setup.open()
    assert main(["campaign", "remind", "--now", NOW.isoformat()]) == 0
    assert "1 " in capsys.readouterr().out
    later = (NOW + 7 * DAY).isoformat()
    assert main(["campaign", "remind", "--now", later]) == 0
    assert main(["campaign", "remind", "--now", later]) == 0
    assert len(mail.outbox) == 2  # the invitation, one reminder
    assert campaign.invitations.get(actor=setup.actors["fromagerie"]).reminders_sent == 1


def test_one_click_reminders_and_addresses(setup: Setup) -> None:
    campaign = setup.open()
    client = setup.client("facilitator")
    menuiserie = campaign.invitations.get(actor=setup.actors["menuiserie"])
    base = ["bocage", campaign.pk, menuiserie.pk]
    client.post(reverse("campaigns:invitation_remind", args=base))
    assert OutboxMessage.objects.count() == 1  # no address: nothing to send it to
    client.post(reverse("campaigns:invitation_email", args=base),
                {"email": "atelier@menuiserie.example"})
    assert OutboxMessage.objects.filter(to="atelier@menuiserie.example").count() == 1
    client.post(reverse("campaigns:send", args=["bocage", campaign.pk]))
    assert len(mail.outbox) == 2
    client.post(reverse("campaigns:remind", args=["bocage", campaign.pk]))
    assert OutboxMessage.objects.filter(sent_at=None).count() == 2
    assert sorted(campaign.invitations.values_list("reminders_sent", flat=True)) == [0, 1, 1]


def test_the_send_button_sends_its_own_campaigns_emails_only(setup: Setup) -> None:
    first, second = setup.open(), setup.open()
    setup.client("facilitator").post(reverse("campaigns:send", args=["bocage", first.pk]))
    assert OutboxMessage.objects.filter(invitation__campaign=first, sent_at=None).count() == 0
    assert OutboxMessage.objects.filter(invitation__campaign=second, sent_at=None).count() == 1


def test_actors_chosen_in_the_list_are_the_ones_invited(setup: Setup) -> None:
    setup.client("facilitator").post(reverse("campaigns:list", args=["bocage"]), {
        "title": "Bilans", "year": "2026", "everyone": "on", "reminder_days": "",
        "actors": [setup.actors["scierie"].pk]})
    campaign = Campaign.objects.get()
    assert list(campaign.invitations.values_list("actor__external_id", flat=True)) == [
        "scierie"]
    assert campaign.reminder_days == []


def test_no_reminder_after_the_closing_date(setup: Setup) -> None:
    campaign = setup.open()
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=(NOW + 5 * DAY).date())
    outbox_deliver(now=NOW)
    assert services.reminders_queue_due(now=NOW + 7 * DAY) == 0
