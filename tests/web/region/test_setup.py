"""The instance administrator sets a region up from pages: creates it, attaches and
detaches territories, names its regional facilitator and observers; each bad input is
refused beside its field, and nothing else changes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from symbiose.web.region import services
from symbiose.web.region.models import CrossProposal, Region, RegionMembership, RegionTerritory
from symbiose.web.territory.models import Territory
from tests.web.region.conftest import World, heat_lines
from tests.web.region.test_services import SHEET

pytestmark = pytest.mark.django_db


def _setup_url(region: Region) -> str:
    return reverse("region:setup", args=[region.slug])


def test_the_administrator_creates_a_region_once(world: World) -> None:
    client = world.client("admin")
    data = {"name": "Grand Est", "slug": "grand-est", "description": "Réseau"}
    response = client.post(reverse("region:new"), data)
    assert response.status_code == 302 and response["Location"] == _setup_url(
        Region.objects.get(slug="grand-est"))
    again = client.post(reverse("region:new"), data)  # the form posted twice
    assert again.status_code == 400 and Region.objects.filter(slug="grand-est").count() == 1
    assert "already exists" in again.content.decode() or "existe déjà" in again.content.decode()
    same_slug = client.post(reverse("region:new"), data | {"name": "Autre"})
    assert same_slug.status_code == 400
    errors = same_slug.context["form"].errors
    assert "slug" in errors and "grand-est" in errors["slug"][0]
    assert client.post(reverse("region:new"), data | {"name": "N", "slug": "new"}
                       ).context["form"].errors["slug"]
    assert Region.objects.count() == 2  # the fixture's and Grand Est


def test_attach_and_detach_territories(world: World) -> None:
    client = world.client("admin")
    other = services.region_create(name="Autre région", slug="autre")
    west = Territory.objects.create(name="Territoire Ouest", slug="ouest")
    url = _setup_url(other)
    assert client.post(url, {"action": "attach", "territory": "ouest"}).status_code == 302
    assert RegionTerritory.objects.get(territory=west).region == other
    # A territory of another region: refused beside the field, naming that region.
    taken = client.post(url, {"action": "attach", "territory": "nord"})
    assert taken.status_code == 400
    message = taken.context["attach_form"].errors["territory"][0]
    assert "Territoire Nord" in message and "Région Test" in message
    assert RegionTerritory.objects.get(territory=world.north).region == world.region
    unknown = client.post(url, {"action": "attach", "territory": "nowhere"})
    assert unknown.status_code == 400 and unknown.context["attach_form"].errors["territory"]
    # Detached, with the crossings it took part in.
    heat_lines(world)
    services.crossings_detect(region=world.region)
    assert CrossProposal.objects.filter(region=world.region).exists()
    detach = client.post(_setup_url(world.region),
                         {"action": "detach", "territory_id": world.south.pk})
    assert detach.status_code == 302
    assert not RegionTerritory.objects.filter(territory=world.south).exists()
    assert not CrossProposal.objects.filter(region=world.region).exists()


def test_a_territory_with_published_sheets_stays_until_they_are_withdrawn(
        world: World) -> None:
    whey = world.proposals["whey"]
    services.sheet_save(proposal=whey, data=SHEET, named_actor_ids=[], publish=True, by=None)
    response = world.client("admin").post(
        _setup_url(world.region), {"action": "detach", "territory_id": world.north.pk},
        follow=True)
    assert RegionTerritory.objects.filter(territory=world.north).exists()
    assert "withdraw" in response.content.decode() or "retire" in response.content.decode()


def test_the_administrator_names_the_regions_readers(world: World) -> None:
    client = world.client("admin")
    url = _setup_url(world.region)
    newcomer = User.objects.create_user("claire")
    assert client.post(url, {"action": "member", "username": "claire",
                             "role": "observer"}).status_code == 302
    assert client.post(url, {"action": "member", "username": "claire",
                             "role": "observer"}).status_code == 302  # posted twice
    membership = RegionMembership.objects.get(user=newcomer, region=world.region)
    assert membership.role == "observer" and membership.is_active
    unknown = client.post(url, {"action": "member", "username": "clara", "role": "observer"})
    assert unknown.status_code == 400
    assert "clara" in unknown.context["member_form"].errors["username"][0]
    assert client.post(url, {"action": "member", "username": "claire",
                             "role": "king"}).status_code == 400
    assert client.post(url, {"action": "unmember", "user_id": newcomer.pk}).status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    dashboard = reverse("region:dashboard", args=[world.region.slug])
    claire = type(client)()
    claire.force_login(newcomer)
    assert claire.get(dashboard).status_code == 404


def test_only_the_administrator_sets_regions_up(world: World) -> None:
    for role in ("regional", "regional_observer", "north_facilitator", "stranger"):
        client = world.client(role)
        assert client.get(reverse("region:new")).status_code == 404, role
        assert client.post(reverse("region:new"), {"name": "X", "slug": "x"}
                           ).status_code == 404, role
        assert client.get(_setup_url(world.region)).status_code == 404, role
        assert client.post(_setup_url(world.region), {
            "action": "detach", "territory_id": world.north.pk}).status_code == 404, role
    assert Region.objects.count() == 1 and world.region.links.count() == 2
    page = world.client("admin").get(reverse("region:list")).content.decode()
    assert reverse("region:new") in page and _setup_url(world.region) in page
