"""The campaign page's "send now" with more than a handful of emails: a job whose progress
(n sent of N) the page follows; a refused address reported, the others still sent; a
sending stopped midway resumed without sending anything twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse

from symbiose.web.campaigns import sending
from symbiose.web.campaigns.models import Campaign, Invitation, OutboxMessage, SendingRun
from symbiose.web.territory.models import Actor
from tests.web.campaigns.conftest import Setup

MANY = sending.HANDFUL + 6
REFUSED = "societe-3@bocage.example"


class Refusing(BaseEmailBackend):
    """An email backend whose server refuses one address and, when told to, stops dead
    (a lost worker) after a number of messages."""

    stop_after: int | None = None

    def send_messages(self, messages: list[Any]) -> int:
        for message in messages:
            if Refusing.stop_after is not None and len(mail.outbox) >= Refusing.stop_after:
                raise RuntimeError("the worker is gone")
            if REFUSED in message.to:
                raise ConnectionRefusedError("550 mailbox unavailable")
            mail.outbox.append(message)
        return len(messages)


@pytest.fixture
def many(setup: Setup, settings: Any) -> Campaign:
    settings.SYMBIOSE_JOBS_INLINE = True
    actors = Actor.objects.bulk_create(
        Actor(territory=setup.territory, external_id=f"s{n}", name=f"Société {n}")
        for n in range(MANY))
    setup.actors.update({a.external_id: a for a in actors})
    return setup.open(actors=[a.external_id for a in actors],
                      emails={a.pk: f"societe-{n}@bocage.example"
                              for n, a in enumerate(actors)})


def _send(setup: Setup, campaign: Campaign) -> Any:
    return setup.client("facilitator").post(
        reverse("campaigns:send", args=["bocage", campaign.pk]), follow=True)


@override_settings(EMAIL_BACKEND="tests.web.campaigns.test_sending_job.Refusing")
def test_many_emails_go_in_a_job_and_a_refused_address_is_reported(
        setup: Setup, many: Campaign) -> None:
    page = _send(setup, many).content.decode()
    run = SendingRun.objects.get()
    assert (run.status, run.total, run.sent, run.failed, run.progress) == (
        "done", MANY, MANY - 1, 1, 100)
    assert run.started_by == setup.users["facilitator"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"societe-{n}@bocage.example" for n in range(MANY) if n != 3)
    assert f"{MANY - 1} envoyés sur {MANY}" in page
    assert REFUSED in page and "550 mailbox unavailable" in page
    refused = OutboxMessage.objects.get(to=REFUSED)
    assert refused.sent_at is None and refused.attempts == 1
    assert many.invitations.filter(status=Invitation.Status.SENT).count() == MANY - 1


@override_settings(EMAIL_BACKEND="tests.web.campaigns.test_sending_job.Refusing")
def test_a_sending_stopped_midway_resumes_without_sending_twice(
        setup: Setup, many: Campaign) -> None:
    Refusing.stop_after = 5
    try:
        page = _send(setup, many).content.decode()
    finally:
        Refusing.stop_after = None
    stopped = SendingRun.objects.get()
    assert stopped.status == "failed" and stopped.error == sending.CRASHED
    assert OutboxMessage.objects.exclude(sent_at=None).count() == 5  # each kept as it left
    assert "un nouvel envoi enverra seulement les autres" in page
    _send(setup, many)
    resumed = SendingRun.objects.first()
    assert resumed is not None and resumed.pk != stopped.pk
    assert (resumed.status, resumed.total, resumed.sent) == ("done", MANY - 5, MANY - 6)
    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == len(set(addresses)) == MANY - 1  # none twice, the refused not


def test_a_handful_leaves_in_the_request(setup: Setup, settings: Any) -> None:
    settings.SYMBIOSE_JOBS_INLINE = False  # a job would never start here: none is made
    campaign = setup.open(emails={setup.actors["scierie"].pk: "bois@scierie.example"})
    _send(setup, campaign)
    assert not SendingRun.objects.exists()
    assert len(mail.outbox) == 2


def test_pressed_twice_while_it_runs_starts_one_job_and_the_page_follows_it(
        setup: Setup, many: Campaign, settings: Any) -> None:
    settings.SYMBIOSE_JOBS_INLINE = False  # a real job: in a django_db test it never starts
    _send(setup, many)
    page = _send(setup, many).content.decode()
    run = SendingRun.objects.get()
    assert run.active and run.total == MANY
    progress = reverse("campaigns:sending", args=["bocage", many.pk, run.pk])
    assert f'hx-get="{progress}"' in page
    fragment = setup.client("facilitator").get(progress, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment
    detail = setup.client("facilitator").get(reverse("campaigns:detail", args=["bocage", many.pk]))
    assert 'http-equiv="refresh"' in detail.content.decode()  # followed without JavaScript
    assert mail.outbox == []


def test_only_the_facilitator_follows_a_sending(setup: Setup, many: Campaign,
                                                settings: Any) -> None:
    settings.SYMBIOSE_JOBS_INLINE = False
    _send(setup, many)
    run = SendingRun.objects.get()
    progress = reverse("campaigns:sending", args=["bocage", many.pk, run.pk])
    for role in ("member", "observer"):
        assert setup.client(role).get(progress).status_code == 404
        assert setup.client(role).post(
            reverse("campaigns:send", args=["bocage", many.pk])).status_code == 404
    assert SendingRun.objects.count() == 1
