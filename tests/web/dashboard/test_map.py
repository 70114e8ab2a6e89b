"""The map page and its data: filters, deposits as each role may see them, a proposal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.audit.models import AuditEvent
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Resource, Territory, Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory() -> Territory:
    territory = Territory.objects.create(name="Vallée", slug="vallee")
    north = Zone.objects.create(territory=territory, name="ZA Nord")
    specs = [("a", north, "private", "green_waste"), ("b", north, "public", "ferrous_scrap"),
             ("c", None, "anonymous", "green_waste"), ("d", None, "public", "")]
    for i, (ext, zone, confidentiality, cls) in enumerate(specs):
        actor = Actor.objects.create(
            territory=territory, external_id=ext, name=f"Actor {ext}", kind="company",
            zone=zone, latitude=Decimal("47.1") + i, longitude=Decimal("3.123456789"[:9]))
        Resource.objects.create(actor=actor, external_id="out", year=2026, direction="out",
                                label=f"{ext} output", resource_class=cls,
                                quantity=Decimal("1500"), unit="kg", period="month",
                                confidentiality=confidentiality)
    Actor.objects.create(territory=territory, external_id="nowhere", name="Unplaced")
    return territory


def _client(client: Client, territory: Territory, role: Role, actors: list[str] = ()
            ) -> Client:  # type: ignore[assignment]
    user = User.objects.create_user(f"u-{role}", password="pw-for-tests-1")
    membership_set(user=user, territory=territory, role=role,
                   actors=Actor.objects.filter(external_id__in=actors))
    client.force_login(user)
    return client


def _data(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get(reverse("dashboard:map_data", args=["vallee"]), params)
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def _deposits(data: dict[str, Any]) -> dict[str, tuple[str, float]]:
    return {data["actors"][a][0]: (data["families"][f][0], t) for a, f, t in data["deposits"]}


def test_map_page_loads_leaflet_and_the_legend(client: Client, territory: Territory) -> None:
    html = _client(client, territory, Role.FACILITATOR).get(
        reverse("dashboard:map", args=["vallee"])).content.decode()
    assert "leaflet/leaflet.js" in html and "leaflet.markercluster.js" in html
    assert "symbiose/map.js" in html and "plotly" not in html
    assert "Exploitation agricole" in html  # the legend of kinds, in French
    assert reverse("dashboard:map_data", args=["vallee"]) in html


def test_facilitator_gets_every_deposit_in_tonnes_per_year_and_the_read_is_audited(
        client: Client, territory: Territory) -> None:
    data = _data(_client(client, territory, Role.FACILITATOR))
    assert [row[0] for row in data["actors"]] == ["a", "b", "c", "d"]
    assert data["unplaced"] == 1
    assert data["actors"][0][3:] == [47.1, 3.12346]  # rounded coordinates
    assert _deposits(data) == {"a": ("organic", 18.0), "b": ("metal", 18.0),
                               "c": ("organic", 18.0), "d": ("unclassified", 18.0)}
    assert AuditEvent.objects.filter(actor__external_id="a", action="read_private").exists()


def test_member_gets_own_and_public_deposits_only(client: Client, territory: Territory) -> None:
    data = _data(_client(client, territory, Role.MEMBER, ["a"]))
    assert [row[0] for row in data["actors"]] == ["a", "b", "c", "d"]  # the directory
    assert set(_deposits(data)) == {"a", "b", "d"}  # c's line is anonymous: never placed
    html = client.get(reverse("dashboard:map_data", args=["vallee"])).content.decode()
    assert "c output" not in html


def test_other_members_private_deposit_is_never_sent(client: Client,
                                                     territory: Territory) -> None:
    data = _data(_client(client, territory, Role.MEMBER, ["b"]))
    assert "a" not in _deposits(data)


def test_observer_has_no_map(client: Client, territory: Territory) -> None:
    observer = _client(client, territory, Role.OBSERVER)
    assert observer.get(reverse("dashboard:map", args=["vallee"])).status_code == 404
    assert observer.get(reverse("dashboard:map_data", args=["vallee"])).status_code == 404


def test_filters_by_zone_and_family(client: Client, territory: Territory) -> None:
    facilitator = _client(client, territory, Role.FACILITATOR)
    zone = Zone.objects.get(name="ZA Nord")
    by_zone = _data(facilitator, zone=zone.pk)
    assert [row[0] for row in by_zone["actors"]] == ["a", "b"]
    by_family = _data(facilitator, family="organic")
    assert [row[0] for row in by_family["actors"]] == ["a", "c"]
    assert set(_deposits(by_family)) == {"a", "c"}
    both = _data(facilitator, zone=zone.pk, family="unclassified")
    assert both["actors"] == [] and both["deposits"] == []
    wrong = _data(facilitator, family="nonsense")
    assert "family" in wrong["errors"] and len(wrong["actors"]) == 4


def test_proposal_is_drawn_between_its_ends(client: Client, territory: Territory) -> None:
    a, b = Actor.objects.get(external_id="a"), Actor.objects.get(external_id="b")
    proposal = Proposal.objects.create(territory=territory, type="substitution", supplier=a,
                                       receiver=b, resource="green waste",
                                       explanation="a to b")
    for position, actor in enumerate((a, b)):
        ProposalActor.objects.create(proposal=proposal, actor=actor, position=position)
    data = _data(_client(client, territory, Role.FACILITATOR), proposal=proposal.pk)
    drawn = data["proposal"]
    assert drawn["lines"] == [[[47.1, 3.12346], [48.1, 3.12346]]]
    assert [end[3] for end in drawn["ends"]] == ["a", "b"]
    assert drawn["explanation"] == "a to b"


def test_member_sees_a_proposal_only_with_ends_it_may_see(client: Client,
                                                          territory: Territory) -> None:
    a, b, c = (Actor.objects.get(external_id=x) for x in "abc")
    mine = Proposal.objects.create(territory=territory, type="substitution", supplier=a,
                                   receiver=b, resource="r", explanation="secret a to b")
    others = Proposal.objects.create(territory=territory, type="substitution", supplier=a,
                                     receiver=c, resource="r")
    for proposal, actors in ((mine, (a, b)), (others, (a, c))):
        for position, actor in enumerate(actors):
            ProposalActor.objects.create(proposal=proposal, actor=actor, position=position)
    member = _client(client, territory, Role.MEMBER, ["b"])
    # a keeps a private line: it is not named to b, so no line and no explanation.
    drawn = _data(member, proposal=mine.pk)["proposal"]
    assert [end[3] for end in drawn["ends"]] == ["b"]
    assert drawn["lines"] == [] and drawn["explanation"] == "" and drawn["hidden_ends"] == 1
    assert _data(member, proposal=others.pk)["proposal"] is None


def test_map_data_queries_do_not_grow_with_actors(
        client: Client, territory: Territory, django_assert_max_num_queries: Any) -> None:
    actors = Actor.objects.bulk_create(
        Actor(territory=territory, external_id=f"x{i}", name=f"X {i}",
              latitude=Decimal("47"), longitude=Decimal("3"))
        for i in range(300))
    Resource.objects.bulk_create(
        Resource(actor=actor, external_id="r", year=2026, direction="out", label="r",
                 resource_class="green_waste", quantity=Decimal(1), unit="t",
                 confidentiality="public")
        for actor in actors)
    member = _client(client, territory, Role.MEMBER, ["a"])
    with django_assert_max_num_queries(10):
        data = _data(member)
    assert len(data["actors"]) == 304


def test_the_same_map_read_is_recorded_once_then_again_when_it_changes(
        client: Client, territory: Territory,
        django_capture_on_commit_callbacks: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    facilitator = _client(client, territory, Role.FACILITATOR)
    reads = AuditEvent.objects.filter(actor__external_id="a", action="read_private")
    with django_capture_on_commit_callbacks(execute=True):
        _data(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        _data(facilitator)  # a reload: the same private lines, already in the trail
    assert reads.count() == 1
    line = Resource.objects.get(actor__external_id="a", direction="out")
    line.pk = None
    line.external_id = "a-out-2"
    line.save()  # one more private line: a different read, recorded
    with django_capture_on_commit_callbacks(execute=True):
        _data(facilitator)
    assert reads.count() == 2
    assert reads.first().detail.startswith("2 ")  # type: ignore[union-attr]
    cache.clear()
