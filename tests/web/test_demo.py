"""The demo territory and account that `symbiose demo` prepares."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django.urls import reverse

from symbiose.web.demo import DEMO_PASSWORD, DEMO_USERNAME, demo_prepare
from symbiose.web.territory.models import Actor, Resource

pytestmark = pytest.mark.django_db


def test_demo_is_a_living_territory() -> None:
    territory, login = demo_prepare()
    actors = Actor.objects.filter(territory=territory)
    assert 20 <= actors.count() <= 35
    assert actors.exclude(latitude=None).count() == actors.count()
    resources = Resource.objects.filter(actor__territory=territory)
    assert resources.filter(direction="out").exists() and resources.filter(direction="in").exists()
    assert set(resources.values_list("year", flat=True)) >= {2025, 2026}  # history to show
    assert resources.exclude(ewc_code="").count() >= 10
    assert login.username == DEMO_USERNAME and login.password == DEMO_PASSWORD


def test_demo_is_idempotent_and_keeps_a_changed_password() -> None:
    territory, _ = demo_prepare()
    counts = (Actor.objects.count(), Resource.objects.count())
    user = authenticate(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert user is not None and user.is_staff
    user.set_password("a-new-secret-42")
    user.save()
    again, login = demo_prepare()
    assert again == territory
    assert (Actor.objects.count(), Resource.objects.count()) == counts
    assert login.password is None  # never prints a password that no longer works


def test_demo_facilitator_can_edit_in_the_admin(client: Client) -> None:
    demo_prepare()
    assert client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    for name in ("territory_actor_changelist", "territory_resource_changelist",
                 "synergies_proposal_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 200
    actor = Actor.objects.first()
    assert actor is not None
    page = client.get(reverse("admin:territory_actor_change", args=[actor.pk]))
    assert page.status_code == 200


def test_admin_starts_this_years_balance_from_the_previous_one(client: Client) -> None:
    import datetime

    territory, _ = demo_prepare()
    year = datetime.date.today().year
    actor = Actor.objects.filter(territory=territory).first()
    assert actor is not None
    actor.resources.filter(year=year).delete()
    previous = actor.resources.filter(year__lt=year).order_by("-year").first()
    if previous is None:  # give the actor a last year's line to carry forward
        Resource.objects.create(actor=actor, external_id="old", year=year - 1,
                                direction="out", label="Cartons")
    before = actor.resources.filter(year__lt=year).count()
    assert client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    response = client.post(reverse("admin:territory_actor_changelist"), {
        "action": "start_this_years_balance", "_selected_action": [actor.pk]}, follow=True)
    assert response.status_code == 200
    latest_previous = actor.resources.filter(year__lt=year).order_by("-year").first()
    assert latest_previous is not None
    assert actor.resources.filter(year=year).count() == actor.resources.filter(
        year=latest_previous.year).count() > 0
    assert actor.resources.filter(year__lt=year).count() == before  # history kept


def test_demo_has_one_account_per_role() -> None:
    from symbiose.web.accounts.models import Membership
    from symbiose.web.demo import demo_other_accounts

    territory, _ = demo_prepare()
    logins = demo_other_accounts(territory=territory)
    assert {login.role for login in logins} == {"member", "observer"}
    assert all(login.password == DEMO_PASSWORD for login in logins)
    roles = dict(Membership.objects.filter(territory=territory)
                 .values_list("user__username", "role"))
    assert roles == {DEMO_USERNAME: "facilitator", "fromagerie": "member",
                     "financeur": "observer"}
    member = Membership.objects.get(user__username="fromagerie")
    assert [a.external_id for a in member.actors.all()] == ["fromagerie"]
    assert demo_other_accounts(territory=territory) == logins  # idempotent


def test_demo_has_a_workshop_in_the_room_and_a_scheduled_meeting_day() -> None:
    from symbiose.web.meetings.models import Meeting, MeetingEvent
    from symbiose.web.synergies.models import Proposal
    from symbiose.web.workshops.models import Card, Interest, Pair, Workshop

    territory, _ = demo_prepare()
    workshop = Workshop.objects.get(territory=territory)
    assert workshop.participants.count() >= 10
    assert Card.objects.filter(workshop=workshop, status="confirmed").count() >= 20
    assert Pair.objects.filter(workshop=workshop).count() >= 8
    assert Interest.objects.filter(participant__workshop=workshop).exists()
    assert Proposal.objects.filter(territory=territory, origin="workshop").count() == 3
    event = MeetingEvent.objects.get(territory=territory)
    assert event.state == MeetingEvent.State.PRELIMINARY
    assert event.unplaced == []  # the demo day fits its grid: every request placed
    assert Meeting.objects.filter(event=event).count() == event.requests.filter(
        status="accepted").count() > 10
    demo_prepare()  # again: nothing written twice
    assert Workshop.objects.filter(territory=territory).count() == 1
    assert MeetingEvent.objects.filter(territory=territory).count() == 1


def test_demo_carries_a_campaign_in_progress_once() -> None:
    import datetime

    from symbiose.web.campaigns.models import Campaign, Invitation
    from symbiose.web.campaigns.selectors import campaign_counts

    territory, _ = demo_prepare()
    campaign = Campaign.objects.get(territory=territory)
    assert campaign.year == datetime.date.today().year
    assert campaign.state == Campaign.State.OPEN
    counts = campaign_counts(campaign=campaign)
    assert counts["total"] == territory.actors.count()
    assert counts["sent"] >= 3 and counts["opened"] == 1 and counts["submitted"] == 1
    submitted = campaign.invitations.get(status=Invitation.Status.SUBMITTED)
    assert Resource.objects.filter(actor=submitted.actor, year=campaign.year).exists()
    lines = Resource.objects.count()
    demo_prepare()
    assert Campaign.objects.count() == 1 and Resource.objects.count() == lines
