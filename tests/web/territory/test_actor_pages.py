"""The actor directory (search, sort, filters, pages, live search), the forms to create
and edit an actor, and the actor page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from symbiose.web.audit.models import AuditEvent
from symbiose.web.submissions.stale import stale_stamp
from symbiose.web.territory.forms import ActorForm, siret_valid
from symbiose.web.territory.models import Actor, Commune, Zone
from tests.web.territory.workspace_fixtures import Place, build_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def place() -> Place:
    return build_place()


def _list(client: Client, place: Place, htmx: bool = False, **params: Any) -> Any:
    return client.get(reverse("territory:actors", args=[place.territory.slug]), params,
                      headers={"HX-Request": "true"} if htmx else {})


def _names(response: Any) -> list[str]:
    return [actor.name for actor in response.context["page"].object_list]


def test_list_searches_name_naf_commune_and_siret(place: Place) -> None:
    client = place.client("anim")
    assert _names(_list(client, place, q="fonderie")) == ["Fonderie Rouge"]
    assert _names(_list(client, place, q="1051")) == ["Laiterie du Val"]
    assert _names(_list(client, place, q="10.51a")) == ["Laiterie du Val"]
    assert _names(_list(client, place, q="nordville")) == ["Ferme des Aulnes",
                                                           "Laiterie du Val"]
    assert _names(_list(client, place, q="732 829 320")) == ["Laiterie du Val"]
    assert "Aucun acteur" in _list(client, place, q="zzz").content.decode() or \
        _names(_list(client, place, q="zzz")) == []


def test_list_sorts_both_ways_and_headers_are_links(place: Place) -> None:
    client = place.client("anim")
    assert _names(_list(client, place, sort="name")) == [
        "Ferme des Aulnes", "Fonderie Rouge", "Laiterie du Val"]
    assert _names(_list(client, place, sort="-name"))[0] == "Laiterie du Val"
    assert _names(_list(client, place, sort="-resources"))[0] == "Fonderie Rouge"
    assert _names(_list(client, place, sort="commune")) == [
        "Ferme des Aulnes", "Laiterie du Val", "Fonderie Rouge"]
    html = _list(client, place, sort="name").content.decode()
    assert "sort=-name" in html and "sort=naf" in html and "sort=year" in html
    # An unknown key falls back to the name.
    assert _list(client, place, sort="password").context["sort"] == "name"


def test_list_filters_by_kind_zone_and_engagement(place: Place) -> None:
    client = place.client("anim")
    assert _names(_list(client, place, kind="farm")) == ["Ferme des Aulnes"]
    assert _names(_list(client, place, zone="ZA des Prés")) == ["Laiterie du Val"]
    assert _names(_list(client, place, engagement="contacted")) == ["Fonderie Rouge"]


def test_list_paginates_by_fifty(place: Place) -> None:
    Actor.objects.bulk_create(Actor(territory=place.territory, external_id=f"x{n:03d}",
                                    name=f"Zeta {n:03d}") for n in range(60))
    client = place.client("anim")
    first = _list(client, place)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 2
    second = _list(client, place, page=2, q="zeta")
    assert _names(second)[-1] == "Zeta 059"
    assert 'rel="prev"' in second.content.decode()


def test_live_search_answers_the_results_fragment(place: Place) -> None:
    client = place.client("anim")
    page = _list(client, place).content.decode()
    assert 'hx-trigger="input changed delay:300ms' in page and 'id="actor-results"' in page
    fragment = _list(client, place, q="ferme", htmx=True)
    html = fragment.content.decode()
    assert "<html" not in html and 'id="actor-rows"' in html
    assert "Ferme des Aulnes" in html and "Fonderie Rouge" not in html


def test_list_of_many_actors_takes_a_bounded_number_of_queries(
        place: Place, django_assert_max_num_queries: Any) -> None:
    Actor.objects.bulk_create(Actor(territory=place.territory, external_id=f"m{n}",
                                    name=f"Many {n}", commune_id=place.dairy.commune_id,
                                    zone_id=place.dairy.zone_id) for n in range(200))
    client = place.client("anim")
    with django_assert_max_num_queries(12):
        response = _list(client, place, sort="-resources")
    assert response.status_code == 200


def test_member_sees_the_directory_but_only_its_own_counts(place: Place) -> None:
    client = place.client("laitier")
    response = _list(client, place, sort="-resources", engagement="contacted")
    assert response.status_code == 200
    assert response.context["sort"] == "name"  # may not sort by others' balances
    assert len(_names(response)) == 3  # the engagement filter is a facilitator's
    html = response.content.decode()
    assert "SECRET" not in html and "sort=resources" not in html
    assert "Nouvel acteur" not in html and "New actor" not in html


def test_observer_and_strangers_get_404(place: Place) -> None:
    observer = place.client("financeur")
    slug = place.territory.slug
    for url in [reverse("territory:actors", args=[slug]),
                reverse("territory:actor_create", args=[slug]),
                reverse("territory:actor_edit", args=[slug, "laiterie"]),
                reverse("territory:actor", args=[slug, "laiterie"])]:
        assert observer.get(url).status_code == 404
    member = place.client("laitier")
    assert member.get(reverse("territory:actor_create", args=[slug])).status_code == 404
    assert member.get(reverse("territory:actor_edit", args=[slug, "laiterie"])
                      ).status_code == 404


def _actor_post(**fields: str) -> dict[str, str]:
    data = {"name": "Brasserie du Pont", "kind": "company", "naf_code": "1105z",
            "siret": "", "address": "2 rue du Pont", "commune": "Nordville",
            "zone": "ZA Nouvelle", "latitude": "47,1", "longitude": "3.2",
            "employees": "12", "engagement": "contacted", "submission_token": "tok-1"}
    data.update(fields)
    return data


def test_create_actor_normalises_creates_places_and_audits(place: Place) -> None:
    client = place.client("anim")
    url = reverse("territory:actor_create", args=[place.territory.slug])
    form_page = client.get(url).content.decode()
    assert 'name="submission_token"' in form_page and 'list="communes"' in form_page
    response = client.post(url, _actor_post())
    actor = Actor.objects.get(name="Brasserie du Pont")
    assert response.status_code == 302
    assert response["Location"] == reverse("territory:actor",
                                           args=[place.territory.slug, "brasserie-du-pont"])
    assert actor.naf_code == "11.05Z" and actor.external_id == "brasserie-du-pont"
    assert actor.commune == Commune.objects.get(name="Nordville")  # reused, not doubled
    assert Zone.objects.filter(territory=place.territory, name="ZA Nouvelle").exists()
    assert str(actor.latitude) == "47.100000"
    assert AuditEvent.objects.filter(actor=actor, action="change").exists()
    # The same name again gets its own identifier.
    client.post(url, _actor_post(submission_token="tok-2"))
    assert Actor.objects.filter(external_id="brasserie-du-pont-2").exists()


def test_double_submit_creates_one_actor(place: Place) -> None:
    client = place.client("anim")
    url = reverse("territory:actor_create", args=[place.territory.slug])
    first = client.post(url, _actor_post())
    second = client.post(url, _actor_post())
    assert Actor.objects.filter(name="Brasserie du Pont").count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_posts_without_a_token_each_create_and_block_no_one_after_them(place: Place) -> None:
    client = place.client("anim")
    url = reverse("territory:actor_create", args=[place.territory.slug])
    client.post(url, _actor_post(name="Sans jeton", submission_token=""))
    client.post(url, _actor_post(name="Autre sans jeton", submission_token=""))
    assert Actor.objects.filter(name__in=["Sans jeton", "Autre sans jeton"]).count() == 2


@pytest.mark.parametrize(("field", "value", "message"), [
    ("naf_code", "10.5B", "Code inconnu"),
    ("siret", "73282932000075", "SIRET"),
    ("siret", "1234", "SIRET"),
    ("latitude", "95", "-90"),
    ("longitude", "-200", "-180"),
    ("name", "", "obligatoire"),
])
def test_create_actor_refusals_are_shown_beside_the_field(
        place: Place, field: str, value: str, message: str) -> None:
    client = place.client("anim")
    response = client.post(reverse("territory:actor_create", args=[place.territory.slug]),
                           _actor_post(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message.lower() in " ".join(errors[field]).lower()
    assert f"field-{field} has-error" in response.content.decode()
    assert not Actor.objects.filter(name="Brasserie du Pont").exists()


def test_unknown_naf_code_suggests_near_codes(place: Place) -> None:
    client = place.client("anim")
    response = client.post(reverse("territory:actor_create", args=[place.territory.slug]),
                           _actor_post(naf_code="1052X"))
    message = " ".join(response.context["form"].errors["naf_code"])
    assert "1052X" in message and "10.52Z" in message


def test_siret_check_digit() -> None:
    assert siret_valid("73282932000074")
    assert not siret_valid("73282932000075")
    assert siret_valid("35600000000048")  # La Poste's head office passes Luhn
    assert siret_valid("35600000012341")  # its other offices: digit sum divisible by 5
    assert not siret_valid("35600000012342")


def _edit_post(place: Place, seen: str, **fields: str) -> dict[str, str]:
    data = _actor_post(name="Laiterie du Val", naf_code="10.51A", commune="Nordville",
                       zone="ZA des Prés", seen_version=seen, submission_token="")
    data.update(fields)
    return data


def test_edit_actor_saves_and_audits(place: Place) -> None:
    client = place.client("anim")
    url = reverse("territory:actor_edit", args=[place.territory.slug, "laiterie"])
    page = client.get(url)
    seen = page.context["form"].initial["seen_version"]
    assert 'name="seen_version"' in page.content.decode()
    response = client.post(url, _edit_post(place, seen, employees="55"))
    assert response.status_code == 302
    place.dairy.refresh_from_db()
    assert place.dairy.employees == 55
    assert AuditEvent.objects.filter(actor=place.dairy, detail__contains="employees").exists()


def test_stale_actor_edit_is_detected_and_nothing_overwritten(place: Place) -> None:
    client = place.client("anim")
    url = reverse("territory:actor_edit", args=[place.territory.slug, "laiterie"])
    seen = client.get(url).context["form"].initial["seen_version"]
    # Meanwhile, someone else renames the actor.
    other = Actor.objects.get(pk=place.dairy.pk)
    other.name = "Laiterie Coopérative"
    other.save()
    response = client.post(url, _edit_post(place, seen, employees="99"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="stale-version"' in html and "Laiterie Coopérative" in html
    assert response.context["form"]["employees"].value() == "99"  # the input is kept
    place.dairy.refresh_from_db()
    assert place.dairy.name == "Laiterie Coopérative" and place.dairy.employees == 40
    # Saving again from the page now applies over their version.
    again = client.post(url, _edit_post(place, stale_stamp(place.dairy), employees="99"))
    assert again.status_code == 302


def _as_opened(response: Any) -> dict[str, str]:
    """What a browser posts back from the edit page: every field as shown, with the
    hidden copy of the value the page was opened with."""
    form = response.context["form"]
    data = {name: "" if form[name].value() is None else str(form[name].value())
            for name in form.fields}
    data.update({f"initial-{name}": data[name] for name in ActorForm.EDITED})
    return data


def test_a_stale_edit_keeps_my_changes_and_takes_theirs_for_the_rest(place: Place) -> None:
    client = place.client("anim")
    url = reverse("territory:actor_edit", args=[place.territory.slug, "laiterie"])
    opened = _as_opened(client.get(url))
    assert 'name="initial-latitude"' in client.get(url).content.decode()
    # Someone else moves the actor and changes its commune meanwhile.
    other = Actor.objects.get(pk=place.dairy.pk)
    other.latitude, other.longitude = Decimal("48.8412"), Decimal("-0.8899")
    other.address = "3 rue du Moulin"
    other.save()
    # I change the number of employees only.
    response = client.post(url, {**opened, "employees": "99"})
    assert response.status_code == 200 and 'id="stale-version"' in response.content.decode()
    shown = response.context["form"]
    assert shown["employees"].value() == "99"  # mine, kept
    assert Decimal(shown["latitude"].value()) == Decimal("48.8412")  # theirs, taken
    assert shown["address"].value() == "3 rue du Moulin"
    # Saving again from the page as it now stands keeps both changes.
    again = client.post(url, _as_opened(response) | {"employees": "99"})
    assert again.status_code == 302
    place.dairy.refresh_from_db()
    assert place.dairy.employees == 99 and place.dairy.latitude == Decimal("48.8412")
    assert place.dairy.address == "3 rue du Moulin"


def test_actor_page_header_balance_history_and_trail(place: Place) -> None:
    from decimal import Decimal

    from symbiose.web.territory.models import Resource

    Resource.objects.create(actor=place.dairy, external_id="r2026", year=2026,
                            direction="in", label="Électricité", quantity=Decimal("500"),
                            unit="kWh", period="month", resource_class="electricity")
    client = place.client("anim")
    response = client.get(reverse("territory:actor", args=[place.territory.slug, "laiterie"]))
    html = response.content.decode()
    assert "Fabrication de lait liquide" in html or "Exploitation de laiteries" in html
    assert "Nordville" in html and "ZA des Prés" in html and "Engagé" in html
    assert reverse("territory:actor_edit", args=[place.territory.slug, "laiterie"]) in html
    assert '<details class="card balance history" id="year-2025">' in html
    assert "6 MWh" in html  # 500 kWh a month, a year's equivalent
    assert reverse("territory:trail", args=[place.territory.slug, "laiterie"]) in html
    assert reverse("territory:balance", args=[place.territory.slug, "laiterie", 2026]) in html


def test_actor_page_for_a_member_keeps_the_withheld_message(place: Place) -> None:
    client = place.client("laitier")
    other = client.get(reverse("territory:actor", args=[place.territory.slug, "fonderie"]))
    html = other.content.decode()
    assert 'id="withheld"' in html and "SECRETFOUNDRY" not in html and "Chaleur fatale" in html
    assert "/edit/" not in html and "/balance/" not in html
    own = client.get(reverse("territory:actor", args=[place.territory.slug, "laiterie"]))
    assert "SECRETDAIRY" in own.content.decode()
    assert "/balance/" in own.content.decode()
