"""Outlets to prospect on an actor's page: sectors and nearby actors for untaken outputs."""

from __future__ import annotations

import re

from django.urls import reverse

from symbiose.web.territory.models import Resource
from tests.web.synergies.place import MakeProposal, Place


def _outlets(place: Place, role: str, actor: str = "fromagerie") -> str:
    page = place.client(role).get(reverse("territory:actor", args=[place.territory.slug, actor]))
    assert page.status_code == 200
    found = re.search(r'<section class="outlets">(.*?)</section>', page.content.decode(), re.S)
    return found.group(1) if found else ""


def _whey(place: Place) -> None:
    Resource.objects.create(actor=place.actors["fromagerie"], external_id="f1", year=2025,
                            direction="out", label="Lactosérum", ewc_code="02 05 01")


def test_an_untaken_output_shows_the_sectors_and_the_actors_known_nearby(
        place: Place) -> None:
    _whey(place)
    section = _outlets(place, "facilitator")
    assert "Lactosérum" in section
    # Whey goes to livestock farms first: the territory's farm is named, with a link.
    assert "Ferme des Prés" in section
    assert reverse("territory:actor", args=[place.territory.slug, "ferme"]) in section
    assert "Garage Central" not in section  # not a sector that takes whey


def test_a_service_no_rule_takes_is_not_given_sectors_by_default(place: Place) -> None:
    Resource.objects.create(actor=place.actors["fromagerie"], external_id="q1", year=2025,
                            direction="out", kind="skill",
                            label="Responsable QSE à temps partagé entre adhérents")
    assert "QSE" not in _outlets(place, "facilitator")


def test_an_output_a_proposal_takes_is_not_prospected(
        place: Place, make_proposal: MakeProposal) -> None:
    _whey(place)
    make_proposal(supplier="fromagerie", receiver="ferme", resource="Lactosérum")
    assert "Lactosérum" not in _outlets(place, "facilitator")


def test_the_actor_s_member_reads_the_names_of_the_directory_without_links(
        place: Place) -> None:
    _whey(place)
    section = _outlets(place, "member")
    assert "Ferme des Prés" in section
    assert "href" not in section


def test_the_section_reads_the_same_number_of_queries_for_many_outputs(place: Place) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _whey(place)
    with CaptureQueriesContext(connection) as one:
        _outlets(place, "facilitator")
    for i, label in enumerate(["Palettes bois", "Cartons", "Ferraille", "Boues", "Huiles"]):
        Resource.objects.create(actor=place.actors["fromagerie"], external_id=f"x{i}",
                                year=2025, direction="out", label=label)
    with CaptureQueriesContext(connection) as six:
        section = _outlets(place, "facilitator")
    assert "Palettes bois" in section
    assert len(six) == len(one)
