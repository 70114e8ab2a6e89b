"""The company member's home: where it lands, what it reads there, what is marked new."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from symbiose.web.accounts.models import Role
from symbiose.web.company.models import HomeVisit
from symbiose.web.meetings.models import MeetingEvent, MeetingRequest, Participant
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Resource
from tests.web.accounts.seed import PASSWORD, Seeded, seed_marked

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> Seeded:
    return seed_marked()


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _login_lands(username: str) -> str:
    response = Client().post(reverse("login"), {"username": username, "password": PASSWORD},
                             follow=True)
    return response.redirect_chain[-1][0]


def test_a_member_lands_on_its_home_and_a_facilitator_on_its_territories(
        seeded: Seeded) -> None:
    assert _login_lands("member") == reverse("company:home")
    assert _login_lands("facilitator") == reverse("territory:list")
    # Nothing to show a facilitator at home: it is sent to its territories.
    response = _client("facilitator").get(reverse("company:home"))
    assert response.status_code == 302 and response["Location"] == reverse("territory:list")


def test_home_says_this_years_balance_is_to_confirm_until_it_has_lines(
        seeded: Seeded) -> None:
    alpha = seeded.actors["alpha"]
    year = timezone.localdate().year
    Resource.objects.filter(actor=alpha).update(year=year - 1)
    page = _client("member").get(reverse("company:home")).content.decode()
    assert f"confirm-balance-{alpha.external_id}" in page
    assert f"votre bilan {year - 1} compte 3 lignes" in page or \
        f"your {year - 1} balance has 3 lines" in page
    Resource.objects.create(actor=alpha, external_id="new", year=year, direction="out",
                            label="Palettes", kind="material")
    page = _client("member").get(reverse("company:home")).content.decode()
    assert f"confirm-balance-{alpha.external_id}" not in page


def test_home_lists_its_own_proposals_only_and_marks_the_new_ones(seeded: Seeded) -> None:
    member = _client("member")
    page = member.get(reverse("company:home")).content.decode()
    mine = Proposal.objects.filter(territory=seeded.t1).filter(
        supplier=seeded.actors["alpha"]) | Proposal.objects.filter(
        territory=seeded.t1, receiver=seeded.actors["alpha"])
    for proposal in Proposal.objects.filter(territory=seeded.t1):
        link = reverse("synergies:proposal", args=[seeded.t1.slug, proposal.pk])
        assert (link in page) == (proposal in mine)
    assert 'class="tag new"' not in page  # a first visit marks nothing new
    # An hour later, a new proposal for alpha: the next visit marks it, and only it.
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    HomeVisit.objects.filter(user=seeded.users["member"]).update(seen_at=an_hour_ago)
    Proposal.objects.update(created_at=an_hour_ago - datetime.timedelta(days=1))
    fresh = Proposal.objects.create(territory=seeded.t1, type="substitution",
                                    supplier=seeded.actors["delta"],
                                    receiver=seeded.actors["alpha"], resource="whey",
                                    quantity=Decimal("3"), unit="t")
    ProposalActor.objects.create(proposal=fresh, actor=seeded.actors["delta"], position=0)
    ProposalActor.objects.create(proposal=fresh, actor=seeded.actors["alpha"], position=1)
    page = member.get(reverse("company:home")).content.decode()
    assert page.count('<li><span class="tag new">') == 1
    new_item = page.split('<li><span class="tag new">')[1].split("</li>")[0]
    assert reverse("synergies:proposal", args=[seeded.t1.slug, fresh.pk]) in new_item
    # Reloading within the same visit keeps it marked.
    assert member.get(reverse("company:home")).content.decode().count(
        '<li><span class="tag new">') == 1


def _event_of_three(seeded: Seeded, state: str) -> MeetingEvent:
    """A meeting day of today where alpha, bravo and charlie take part."""
    event = MeetingEvent.objects.create(
        territory=seeded.t1, title=f"Rencontres ({state})", date=timezone.localdate(),
        start_time=datetime.time(9), slots=4, tables=2,
        request_deadline=timezone.now() + datetime.timedelta(days=1), state=state)
    for name in ("alpha", "bravo", "charlie"):
        Participant.objects.create(event=event, actor=seeded.actors[name])
    return event


def _request(event: MeetingEvent, requester: Actor, requested: Actor) -> None:
    low, high = sorted((requester.pk, requested.pk))
    MeetingRequest.objects.create(event=event, requester=requester, requested=requested,
                                  pair_low=low, pair_high=high)


def test_home_asks_to_answer_meeting_requests_and_links_the_published_agenda(
        seeded: Seeded) -> None:
    a = seeded.actors
    event = _event_of_three(seeded, "preliminary")
    _request(event, a["bravo"], a["alpha"])
    _request(event, a["bravo"], a["charlie"])
    page = _client("member").get(reverse("company:home")).content.decode()
    assert "Actor bravo" in page and page.count(
        reverse("meetings:event", args=[seeded.t1.slug, event.pk]) + "#requests") == 1
    assert reverse("meetings:agenda", args=[seeded.t1.slug, event.pk, a["alpha"].pk]) in page


def test_the_digest_choice_is_kept(seeded: Seeded) -> None:
    member = _client("member")
    member.post(reverse("company:digest"), {"weekly": "1"})
    member.post(reverse("company:digest"), {"weekly": "1"})  # posted twice: one choice
    page = member.get(reverse("company:home")).content.decode()
    assert 'id="digest-toggle"' in page and 'name="weekly" value="0"' in page
    member.post(reverse("company:digest"), {"weekly": "0"})
    page = member.get(reverse("company:home")).content.decode()
    assert 'name="weekly" value="1"' in page


def test_an_open_campaign_leads_the_member_to_its_personal_page(seeded: Seeded) -> None:
    from symbiose.web.campaigns.services import campaign_open

    alpha = seeded.actors["alpha"]
    campaign = campaign_open(territory=seeded.t1, data={"year": 2027, "title": "Bilans"},
                             actors=[alpha], site_url="http://testserver/", by=None)
    invitation = campaign.invitations.get(actor=alpha)
    link = reverse("campaigns:link", args=[invitation.token])
    member = _client("member")
    assert link in member.get(reverse("company:home")).content.decode()
    assert member.get(link).status_code == 200  # its own link opens for its account
    invitation.submitted_at = timezone.now()
    invitation.save()
    assert link not in member.get(reverse("company:home")).content.decode()


def test_a_member_of_several_sites_reads_each_ones_agenda_in_the_same_queries(
        seeded: Seeded) -> None:
    """Requests, agendas and workshops are read once for all the member's actors, then
    shared out: each actor shows its own, and a second actor costs no query more."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from symbiose.web.accounts.services import membership_set

    a = seeded.actors
    event = _event_of_three(seeded, "final")
    _request(event, a["charlie"], a["bravo"])
    member = _client("member")

    def home_queries() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            page = member.get(reverse("company:home")).content.decode()
        return page, len(queries)

    home_queries()  # the first visit records itself; the ones compared below are alike
    alone, queries_alone = home_queries()
    assert reverse("meetings:agenda", args=[seeded.t1.slug, event.pk, a["alpha"].pk]) in alone
    assert reverse("meetings:agenda", args=[seeded.t1.slug, event.pk, a["bravo"].pk]) \
        not in alone
    membership_set(user=User.objects.get(username="member"), territory=seeded.t1,
                   role=Role.MEMBER, actors=[a["alpha"], a["bravo"]])
    both, queries_both = home_queries()
    for name in ("alpha", "bravo"):
        assert both.count(reverse("meetings:agenda",
                                  args=[seeded.t1.slug, event.pk, a[name].pk])) == 1, name
    # The request waits for bravo's answer only, and is shown once.
    assert both.count(reverse("meetings:event", args=[seeded.t1.slug, event.pk])
                      + "#requests") == 1
    assert queries_both == queries_alone
