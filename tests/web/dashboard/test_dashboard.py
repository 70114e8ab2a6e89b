"""The territory dashboard: figures, the metabolism diagram, freshness, k-anonymity."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Resource, Territory

pytestmark = pytest.mark.django_db
YEAR = 2026


def _actor(territory: Territory, ext: str, *, naf: str = "10.51A", kind: str = "company",
           engagement: str = "engaged") -> Actor:
    return Actor.objects.create(territory=territory, external_id=ext, name=f"Actor {ext}",
                                naf_code=naf, kind=kind, engagement=engagement,
                                latitude=Decimal("47.1"), longitude=Decimal("3.0"))


def _line(actor: Actor, ext: str, *, direction: str = "out", cls: str = "green_waste",
          quantity: str = "10", unit: str = "t", period: str = "year", year: int = YEAR,
          confidentiality: str = "private") -> Resource:
    return Resource.objects.create(
        actor=actor, external_id=ext, year=year, direction=direction, label=f"line {ext}",
        resource_class=cls, quantity=Decimal(quantity), unit=unit, period=period,
        confidentiality=confidentiality)


def _proposal(territory: Territory, actors: list[Actor], **fields: object) -> Proposal:
    proposal = Proposal.objects.create(territory=territory, type="substitution",
                                       supplier=actors[0], receiver=actors[-1],
                                       resource="green waste", **fields)
    for position, actor in enumerate(actors):
        ProposalActor.objects.create(proposal=proposal, actor=actor, position=position)
    return proposal


@pytest.fixture
def territory() -> Territory:
    """Four dairies (section C) with green waste out and wood in; one farm (A), alone."""
    territory = Territory.objects.create(name="Vallée", slug="vallee")
    for i in range(4):
        dairy = _actor(territory, f"d{i}")
        _line(dairy, f"d{i}-out", quantity="2", unit="t", period="month")  # 24 t/year
        _line(dairy, f"d{i}-in", direction="in", cls="", quantity="500", unit="kg")
        _line(dairy, f"d{i}-water", direction="in", cls="", quantity="30", unit="m3")
    farm = _actor(territory, "farm", naf="01.11Z", kind="farm", engagement="contacted")
    _line(farm, "farm-out", quantity="100")
    _actor(territory, "old", naf="01.11Z", kind="farm")
    _line(Actor.objects.get(external_id="old"), "old-out", year=2019)
    return territory


def _client(client: Client, territory: Territory, role: Role,
            actors: list[Actor] | None = None) -> Client:
    user = User.objects.create_user(f"u-{role}", password="pw-for-tests-1")
    membership_set(user=user, territory=territory, role=role, actors=actors or [])
    client.force_login(user)
    return client


def _home(client: Client) -> tuple[str, dict[str, object]]:
    response = client.get(reverse("dashboard:home", args=["vallee"]))
    assert response.status_code == 200
    return response.content.decode(), response.context


def _sankey(html: str) -> dict[str, list[object]]:
    start = html.index('<script id="sankey-data" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    loaded: dict[str, list[object]] = json.loads(body)
    return loaded


def _links(sankey: dict[str, list[object]]) -> set[tuple[object, object, object]]:
    labels = sankey["labels"]
    return {(labels[s], labels[t], v)  # type: ignore[index]
            for s, t, v in zip(sankey["source"], sankey["target"], sankey["value"],
                               strict=True)}


def test_facilitator_sees_every_figure_and_the_whole_metabolism(
        client: Client, territory: Territory) -> None:
    html, context = _home(_client(client, territory, Role.FACILITATOR))
    dashboard = context["dashboard"]
    assert dashboard.overview.actor_count == 6  # type: ignore[attr-defined]
    assert "plotly.min.js" in html and "Sankey" not in html
    links = _links(_sankey(html))
    # Outputs converted to tonnes per year: 4 × 2 t/month, and the farm's 100 t.
    assert ("Industrie manufacturière", "Matières organiques", 96.0) in links
    assert ("Agriculture, sylviculture et pêche", "Matières organiques", 100.0) in links
    # 500 kg in, without a class.
    assert ("Pas encore classée", "Industrie manufacturière", 2.0) in links
    # The four lines in m3 are left out, and the page says so.
    assert dashboard.sankey_left_out == 4  # type: ignore[attr-defined]
    assert "4 lignes" in html


def test_member_sees_only_links_of_three_actors_or_more(client: Client,
                                                        territory: Territory) -> None:
    dairy = Actor.objects.get(external_id="d0")
    html, context = _home(_client(client, territory, Role.MEMBER, [dairy]))
    links = _links(_sankey(html))
    assert ("Industrie manufacturière", "Matières organiques", 96.0) in links
    # The farm alone: its 100 t never appear, not even through "other sectors".
    assert all(value != 100.0 for _, _, value in links)
    assert not any("Agriculture" in str(label) for label in _sankey(html)["labels"])
    assert context["dashboard"].sankey_folded  # type: ignore[attr-defined]


def test_observer_sees_aggregates_without_names(client: Client, territory: Territory) -> None:
    html, context = _home(_client(client, territory, Role.OBSERVER))
    dashboard = context["dashboard"]
    assert dashboard.freshness.names is None  # type: ignore[attr-defined]
    assert "Actor old" not in html and "Actor d0" not in html
    # Kinds: 4 companies shown, the 2 farms folded into "Other" with the smallest group.
    labels = [bar.label for bar in dashboard.actors_by_kind]  # type: ignore[attr-defined]
    assert not any("Exploitation" in label for label in labels)
    assert 'id="anonymous"' not in html


def test_freshness_lists_out_of_date_actors_for_the_facilitator_only(
        client: Client, territory: Territory) -> None:
    Actor.objects.create(territory=territory, external_id="new", name="Never counted")
    html, context = _home(_client(client, territory, Role.FACILITATOR))
    freshness = context["dashboard"].freshness  # type: ignore[attr-defined]
    assert freshness.count == 2
    assert [a.name for a in freshness.names] == ["Actor old", "Never counted"]
    assert reverse("territory:actor", args=["vallee", "old"]) in html


def test_member_sees_freshness_count_only_when_it_covers_three_actors(
        client: Client, territory: Territory) -> None:
    dairy = Actor.objects.get(external_id="d0")
    html, context = _home(_client(client, territory, Role.MEMBER, [dairy]))
    freshness = context["dashboard"].freshness  # type: ignore[attr-defined]
    assert freshness.count is None and freshness.names is None  # only one stale actor
    assert "Actor old" not in html
    assert "Moins de trois acteurs n’ont pas de bilan de flux" in html


def test_no_stale_actor_is_said_to_a_member_too(client: Client, territory: Territory) -> None:
    from symbiose.web.territory.models import Resource

    Resource.objects.filter(actor__external_id="old").update(year=2099)
    dairy = Actor.objects.get(external_id="d0")
    html, context = _home(_client(client, territory, Role.MEMBER, [dairy]))
    assert context["dashboard"].freshness.count == 0  # type: ignore[attr-defined]
    assert "Chaque acteur a un bilan de flux" in html


def test_kept_synergies_totals_follow_decisions_and_stages(client: Client,
                                                           territory: Territory) -> None:
    dairies = list(Actor.objects.filter(external_id__startswith="d").order_by("external_id"))
    first = _proposal(territory, dairies[:2], decision="kept", tonnes_per_year=Decimal("24"),
                      co2e_avoided_t=Decimal("3.5"), eur_saved=Decimal("1200"))
    _proposal(territory, dairies[2:], decision="kept", quantity=Decimal("6"), unit="t",
              stage="study")
    _proposal(territory, dairies[1:3], decision="pending", tonnes_per_year=Decimal("999"))
    viewer_client = _client(client, territory, Role.FACILITATOR)
    retained = _home(viewer_client)[1]["dashboard"].retained  # type: ignore[attr-defined]
    assert (retained.proposals, retained.tonnes, retained.co2e_t, retained.eur) == (
        2, Decimal("30"), Decimal("3.5"), Decimal("1200"))
    first.stage = Proposal.Stage.ABANDONED
    first.save()
    dashboard = _home(viewer_client)[1]["dashboard"]
    assert dashboard.retained.tonnes == Decimal("6")  # type: ignore[attr-defined]
    assert dashboard.pending_review == 1  # type: ignore[attr-defined]
    stages = {b.label: b.value for b in dashboard.proposals_by_stage}  # type: ignore[attr-defined]
    with translation.override("fr"):
        assert stages == {str(Proposal.Stage.STUDY.label): 1,
                          str(Proposal.Stage.ABANDONED.label): 1}


def test_member_does_not_see_totals_of_fewer_than_three_actors(
        client: Client, territory: Territory) -> None:
    dairies = list(Actor.objects.filter(external_id__startswith="d").order_by("external_id"))
    _proposal(territory, dairies[:2], decision="kept", eur_saved=Decimal("1200"))
    dashboard = _home(_client(client, territory, Role.MEMBER, dairies[:1]))[1]["dashboard"]
    assert dashboard.retained.eur is None  # type: ignore[attr-defined]
    assert dashboard.proposals_by_type == []  # type: ignore[attr-defined]
    _proposal(territory, dairies[2:], decision="kept", eur_saved=Decimal("300"))
    dashboard = _home(client)[1]["dashboard"]
    assert dashboard.retained.eur == Decimal("1500")  # type: ignore[attr-defined]


def test_home_keeps_anonymised_offers_for_members(client: Client, territory: Territory) -> None:
    farm = Actor.objects.get(external_id="farm")
    _line(farm, "farm-anon", confidentiality="anonymous")
    dairy = Actor.objects.get(external_id="d0")
    html, _ = _home(_client(client, territory, Role.MEMBER, [dairy]))
    assert 'id="anonymous"' in html and "line farm-anon" in html
    assert "Actor farm" not in html


def test_dashboard_queries_do_not_grow_with_actors(
        client: Client, territory: Territory, django_assert_max_num_queries: object) -> None:
    actors = Actor.objects.bulk_create(
        Actor(territory=territory, external_id=f"x{i}", name=f"X {i}", naf_code="20.14Z")
        for i in range(300))
    Resource.objects.bulk_create(
        Resource(actor=actor, external_id="r", year=YEAR, direction="out", label="r",
                 resource_class="green_waste", quantity=Decimal(1), unit="t")
        for actor in actors)
    viewer_client = _client(client, territory, Role.FACILITATOR)
    with django_assert_max_num_queries(22):  # type: ignore[operator]
        viewer_client.get(reverse("dashboard:home", args=["vallee"]))


def test_a_small_value_keeps_a_sliver_of_bar() -> None:
    from symbiose.web.dashboard.visibility.figures import _width

    assert _width(7, 300_000) == 1 and _width(0, 300_000) == 0
    assert _width(150_000, 300_000) == 50 and _width(300_000, 300_000) == 100
