"""The flow balance entry: adding lines (with and without HTMX), the class suggestion and
the quantity check fragments, likely flows, starting a year from the last, and the edit
of a line with stale-edit detection."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from symbiose.web.audit.models import AuditEvent
from symbiose.web.territory.models import DiscardedLikelyFlow, Resource
from tests.web.territory.workspace_fixtures import Place, build_place

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def place() -> Place:
    return build_place()


def _balance_url(place: Place, actor: str = "laiterie", year: int = 2026) -> str:
    return reverse("territory:balance", args=[place.territory.slug, actor, year])


def _line(**fields: str) -> dict[str, str]:
    data = {"label": "Palettes bois", "direction": "out", "quantity": "1,5", "unit": "tonnes",
            "period": "month", "confidentiality": "private", "resource_class": "",
            "ewc_code": "", "cost_eur": "", "notes": "", "submission_token": "line-tok-1"}
    data.update(fields)
    return data


def test_entry_page_has_the_form_label_first(place: Place) -> None:
    response = place.client("anim").get(_balance_url(place))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('id="id_label"') < html.index('name="direction"')
    assert "autofocus" in html and 'name="submission_token"' in html
    assert reverse("territory:suggest", args=[place.territory.slug]) in html
    assert response.context["form"]["confidentiality"].value() == "private"


def test_adding_a_line_without_javascript_redirects_and_classifies(place: Place) -> None:
    client = place.client("anim")
    response = client.post(_balance_url(place), _line())
    assert response.status_code == 302 and response["Location"] == _balance_url(place)
    line = Resource.objects.get(actor=place.dairy, year=2026)
    assert line.label == "Palettes bois" and line.unit == "t" and line.period == "month"
    assert line.quantity == Decimal("1.5") and line.confidentiality == "private"
    assert line.resource_class == "pallets" and line.kind == "material"
    assert line.external_id.startswith("laiterie-palettes-bois-")
    assert AuditEvent.objects.filter(actor=place.dairy, detail__contains="Palettes bois")
    page = client.get(_balance_url(place)).content.decode()
    assert "18 t" in page  # 1.5 t a month, a year's equivalent


def test_adding_a_line_with_htmx_swaps_the_workspace_and_resets_the_form(place: Place) -> None:
    client = place.client("anim")
    response = client.post(_balance_url(place), _line(direction="in", label="Drêche",
                                                      resource_class="spent_grain"),
                           headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="balance-workspace"' in html and "just-added" in html
    form = response.context["form"]
    assert not form.is_bound and form.initial["direction"] == "in"
    assert form.initial["submission_token"] != "line-tok-1"  # a fresh token for the next line
    assert Resource.objects.get(actor=place.dairy, year=2026).resource_class == "spent_grain"


def test_double_submit_creates_the_line_once(place: Place) -> None:
    client = place.client("anim")
    client.post(_balance_url(place), _line())
    again = client.post(_balance_url(place), _line())
    assert again.status_code == 302
    client.post(_balance_url(place), _line(), headers=HTMX)
    assert Resource.objects.filter(actor=place.dairy, year=2026).count() == 1


# (French, English): new messages read in English until the lead translates them.
@pytest.mark.parametrize(("field", "value", "messages"), [
    ("unit", "tonnnes", ("unité inconnue", "unknown unit")),
    ("quantity", "-3", ("négative", "negative")),
    ("quantity", "beaucoup", ("nombre", "number")),
    ("ewc_code", "99 99 99", ("code inconnu", "unknown code")),
    ("label", "", ("obligatoire", "required")),
    ("resource_class", "not_a_class", ("choix", "valid")),
    ("period", "decade", ("choix", "valid")),
    ("confidentiality", "secret", ("choix", "valid")),
    ("quantity", "1e30", ("1 000 000 000 000", "at most")),
    ("cost_eur", "123456789012345678", ("1 000 000 000 000", "at most")),
    ("quantity", "1.200", ("ambigu", "ambiguous")),
])
def test_bad_input_is_refused_beside_its_field(place: Place, field: str, value: str,
                                                 messages: tuple[str, str]) -> None:
    response = place.client("anim").post(_balance_url(place), _line(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    text = " ".join(errors[field]).lower()
    assert any(message in text for message in messages), text
    assert f"field-{field} has-error" in response.content.decode()
    assert not Resource.objects.filter(actor=place.dairy, year=2026).exists()


@pytest.mark.parametrize(("typed", "stored"), [
    ("12,5", "12.5"), ("1 200", "1200"), ("1\u202f200,50", "1200.5"), ("1\xa0200", "1200"),
])
def test_quantities_read_as_french_people_write_them(place: Place, typed: str,
                                                     stored: str) -> None:
    place.client("anim").post(_balance_url(place), _line(quantity=typed))
    line = Resource.objects.get(actor=place.dairy, year=2026)
    assert line.quantity == Decimal(stored)


def test_the_live_check_reads_a_quantity_as_the_form_does(place: Place) -> None:
    url = reverse("territory:quantity_check", args=[place.territory.slug])
    client = place.client("anim")
    spaced = client.get(url, {"quantity": "1 200", "unit": "t", "period": "month"})
    assert "14" in spaced.content.decode() and "400" in spaced.content.decode()
    for typed in ("1e25", "1.200", "beaucoup"):
        body = client.get(url, {"quantity": typed, "unit": "t"}).content.decode()
        assert 'id="quantity-error"' in body, typed


def test_unknown_unit_message_suggests_spellings(place: Place) -> None:
    response = place.client("anim").post(_balance_url(place), _line(unit="tonnnes"))
    assert "t" in response.context["form"].errors["unit"][0]
    assert "tonnnes" in response.context["form"].errors["unit"][0]


def _suggest(client: Client, place: Place, **params: str) -> Any:
    return client.get(reverse("territory:suggest", args=[place.territory.slug]), params)


def test_suggestion_of_a_class_from_the_label(place: Place) -> None:
    client = place.client("anim")
    pallets = _suggest(client, place, label="palettes bois", direction="out")
    html = pallets.content.decode()
    assert pallets.context["suggestion"].best.id == "pallets"
    assert "Palettes et emballages bois" in html and 'data-accept-class="pallets"' in html
    assert "15 01 03" in html  # the EWC code of an output
    assert "wood_waste" in html  # an alternative
    grain = _suggest(client, place, label="drêche de brasserie", direction="out")
    assert grain.context["suggestion"].best.id == "spent_grain"
    assert "certain" in grain.content.decode()
    needed = _suggest(client, place, label="palettes bois", direction="in")
    assert "15 01 03" not in needed.content.decode()  # an input is no waste
    nonsense = _suggest(client, place, label="xqzw blorf")
    assert "xqzw blorf" in nonsense.content.decode()
    assert nonsense.context["suggestion"].classified is False
    assert _suggest(client, place, label="").content.decode().strip() == ""


def test_quantity_check_shows_the_yearly_equivalent_or_the_unit_error(place: Place) -> None:
    client = place.client("anim")
    url = reverse("territory:quantity_check", args=[place.territory.slug])
    kg = client.get(url, {"quantity": "500", "unit": "kg", "period": "week"}).content.decode()
    assert "26 t" in kg
    energy = client.get(url, {"quantity": "2,5", "unit": "kWh", "period": "day"})
    assert "0,913 MWh" in energy.content.decode()  # 2.5 kWh × 365 days
    bad = client.get(url, {"quantity": "3", "unit": "tonnnes"}).content.decode()
    assert 'id="unit-error"' in bad and "tonnnes" in bad
    negative = client.get(url, {"quantity": "-1", "unit": "t"}).content.decode()
    assert "négative" in negative
    assert client.get(url, {"quantity": "3", "unit": "person"}).content.decode().strip() == ""


def test_likely_flows_are_offered_accepted_and_discarded(place: Place) -> None:
    client = place.client("anim")
    page = client.get(_balance_url(place))
    likely = page.context["likely"]
    assert likely and 'id="likely-flows"' in page.content.decode()
    first, second = likely[0], likely[1]
    url = reverse("territory:likely_flow", args=[place.territory.slug, "laiterie", 2026])
    accepted = client.post(url, {"action": "accept", "direction": first.direction,
                                 "class_id": first.class_id})
    assert accepted.status_code == 302
    line = Resource.objects.get(actor=place.dairy, year=2026)
    assert line.resource_class == first.class_id and line.confidentiality == "private"
    assert line.label == first.label and "Estim" in line.notes
    assert line.quantity is not None  # the dairy's headcount is known
    discarded = client.post(url, {"action": "discard", "direction": second.direction,
                                  "class_id": second.class_id}, headers=HTMX)
    assert discarded.status_code == 200
    assert DiscardedLikelyFlow.objects.filter(actor=place.dairy, year=2026,
                                              class_id=second.class_id).exists()
    remaining = {(f.direction, f.class_id) for f in client.get(_balance_url(place))
                 .context["likely"]}
    assert (first.direction, first.class_id) not in remaining
    assert (second.direction, second.class_id) not in remaining
    # Discarded for 2026 only.
    assert (second.direction, second.class_id) in {
        (f.direction, f.class_id) for f in client.get(_balance_url(place, year=2027))
        .context["likely"]}


def test_start_the_year_from_last_years_balance(place: Place) -> None:
    client = place.client("anim")
    page = client.get(_balance_url(place, "fonderie")).content.decode()
    assert 'id="start-year"' in page
    url = reverse("territory:balance_start", args=[place.territory.slug, "fonderie", 2026])
    response = client.post(url, follow=True)
    assert Resource.objects.filter(actor=place.foundry, year=2026).count() == 2
    assert str(next(iter(response.context["messages"]))).startswith("2 ")
    assert 'id="start-year"' not in response.content.decode()
    client.post(url)  # a second time copies nothing more
    assert Resource.objects.filter(actor=place.foundry, year=2026).count() == 2


def test_member_adds_lines_to_its_own_actor_only(place: Place) -> None:
    client = place.client("laitier")
    assert client.post(_balance_url(place), _line()).status_code == 302
    assert Resource.objects.filter(actor=place.dairy, year=2026).count() == 1
    other = _balance_url(place, "fonderie")
    assert client.get(other).status_code == 404
    assert client.post(other, _line(submission_token="x2")).status_code == 404
    start = reverse("territory:balance_start", args=[place.territory.slug, "fonderie", 2026])
    assert client.post(start).status_code == 404
    assert not Resource.objects.filter(actor=place.foundry, year=2026).exists()


def test_observer_gets_404_everywhere_here(place: Place) -> None:
    client = place.client("financeur")
    slug = place.territory.slug
    assert client.get(_balance_url(place)).status_code == 404
    assert client.post(_balance_url(place), _line()).status_code == 404
    assert _suggest(client, place, label="palettes").status_code == 404
    assert client.get(reverse("territory:quantity_check", args=[slug]),
                      {"unit": "t"}).status_code == 404
    assert client.post(reverse("territory:likely_flow", args=[slug, "laiterie", 2026]),
                       {"action": "accept"}).status_code == 404
    assert client.post(reverse("territory:balance_start", args=[slug, "laiterie", 2026])
                       ).status_code == 404
    assert not Resource.objects.filter(year=2026).exists()


def test_year_out_of_range_is_404(place: Place) -> None:
    assert place.client("anim").get(_balance_url(place, year=1800)).status_code == 404


def _edit_url(place: Place, line: Resource) -> str:
    return reverse("territory:line_edit", args=[place.territory.slug, line.pk])


def test_line_edit_corrects_the_class(place: Place) -> None:
    line = Resource.objects.get(actor=place.dairy)
    client = place.client("anim")
    form = client.get(_edit_url(place, line)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(resource_class="whey", ewc_code="02 05 01")
    response = client.post(_edit_url(place, line), data)
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.resource_class == "whey" and line.ewc_code == "020501"


def test_stale_line_edit_is_detected_and_nothing_overwritten(place: Place) -> None:
    line = Resource.objects.get(actor=place.dairy)
    client = place.client("anim")
    form = client.get(_edit_url(place, line)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    assert data["seen_version"]
    # Meanwhile the member changes the quantity.
    theirs = Resource.objects.get(pk=line.pk)
    theirs.quantity = Decimal("77")
    theirs.save()
    data.update(quantity="5", notes="mine")
    response = client.post(_edit_url(place, line), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="stale-version"' in html and "77" in html
    assert response.context["form"]["notes"].value() == "mine"
    line.refresh_from_db()
    assert line.quantity == Decimal("77") and line.notes == ""
