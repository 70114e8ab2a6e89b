"""Headers and values are matched in French or English, whatever the case or accents."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from symbiose.core.bundle import read_bundle
from symbiose.core.bundle.columns import TABLES, map_columns
from symbiose.core.bundle.values import fold
from tests.core.bundle.build import check, folder, only, text


def test_no_alias_designates_two_fields() -> None:
    for spec in TABLES:
        owners: dict[str, str] = {}
        for name in spec.fields:
            for alias in spec.accepted(name):
                assert owners.setdefault(fold(alias), name) == name, (spec.name, alias)


@pytest.mark.parametrize(("header", "field"), [
    ("Raison sociale", "name"), ("NOM", "name"), ("Code NAF", "naf"), ("code_ape", "naf"),
    ("Nature", "kind"), ("Lat", "lat"), ("lng", "lon"), ("Ville", "commune"),
    ("Zone d'activité", "zone"), ("Salariés", "employees"), ("SIRET", "siret"),
    ("Adresse", "address"), ("Statut", "engagement"), ("Identifiant", "id"),
])
def test_actor_header_aliases(header: str, field: str) -> None:
    from symbiose.core.bundle.columns import ACTORS as SPEC

    assert map_columns(SPEC, [header]).index == {field: 0}


@pytest.mark.parametrize(("header", "field"), [
    ("Acteur", "actor_id"), ("ID acteur", "actor_id"), ("Sens", "direction"),
    ("Libellé", "label"), ("Désignation", "label"), ("Catégorie", "kind"),
    ("Code CED", "ewc"), ("code déchet", "ewc"), ("LoD", "ewc"), ("Qté", "quantity"),
    ("Quantité (t/an)", "quantity"), ("Unité", "unit"), ("Période", "period"),
    ("Coût annuel (€)", "cost_eur"), ("Confidentialité", "confidentiality"),
    ("Année", "year"), ("Classe", "resource_class"), ("Commentaire", "notes"),
])
def test_resource_header_aliases(header: str, field: str) -> None:
    from symbiose.core.bundle.columns import RESOURCES as SPEC

    assert map_columns(SPEC, [header]).index == {field: 0}


def test_french_values_are_normalised(tmp_path: Path) -> None:
    actors = ("ID,Nom,Type,Statut\n"
              "a1,Mairie,Collectivité,Noyau dur\na2,Clinique,santé,ambassadrice\n"
              "a3,Régie,Insertion,\na4,Club,association,\na5,X,Autre,\n")
    resources = ("acteur,sens,libellé,type,période,confidentialité\n"
                 "a1,offre,Foncier libre,Foncier,hebdomadaire,Publique\n"
                 "a2,besoin,Formation SST,compétence,journalier,anonyme\n"
                 "a3,Sortie,Camion,logistique,Mois,privée\n")
    with read_bundle(folder(tmp_path, actors=actors, resources=resources),
                     default_year=2026) as reader:
        assert reader.check().ok
        assert [(a.kind, a.engagement) for a in reader.actors()] == [
            ("public", "core_group"), ("health", "ambassador"), ("insertion", ""),
            ("association", ""), ("other", "")]
        assert [(r.direction, r.kind, r.period, r.confidentiality)
                for r in reader.resources()] == [
            ("out", "space", "week", "public"), ("in", "skill", "day", "anonymous"),
            ("out", "logistics", "month", "private")]


def test_unknown_columns_are_a_notice_not_a_problem(tmp_path: Path) -> None:
    result = check(folder(tmp_path, actors="id,name,couleur préférée\na1,Fonderie,bleu\n"))
    assert result.ok
    assert "ignored column “couleur préférée”: not a bundle column" in [
        text(n) for n in result.notices]


def test_a_title_row_above_the_header_is_skipped(tmp_path: Path) -> None:
    bundle = folder(tmp_path, actors="Inventaire 2026,,\nid,name,employees\na1,Fonderie,x\n")
    problem = only(check(bundle))
    assert (problem.row, problem.column) == (3, "employees")


def test_the_first_of_two_columns_for_a_field_wins(tmp_path: Path) -> None:
    bundle = folder(tmp_path, actors="id,nom,raison sociale\na1,Fonderie,Fonderie SAS\n")
    with read_bundle(bundle, default_year=2026) as reader:
        result = reader.check()
        assert [a.name for a in reader.actors()] == ["Fonderie"]
    assert any("raison sociale" in text(n) for n in result.notices)


def test_values_are_stripped_and_codes_normalised(tmp_path: Path) -> None:
    actors = "id,name,naf,lat,lon\n  a1 , Fonderie  , 2014 ,47.5,3\n"
    resources = "actor_id,direction,label,ewc,unit,quantity\na1,OUT, Bidons ,160213*,kg,0.250\n"
    with read_bundle(folder(tmp_path, actors=actors, resources=resources),
                     default_year=2026) as reader:
        assert reader.check().ok
        (actor,) = reader.actors()
        (resource,) = reader.resources()
    assert (actor.id, actor.name, actor.naf, actor.lat) == ("a1", "Fonderie", "20.14Z",
                                                            Decimal("47.5"))
    assert (resource.label, resource.ewc, resource.quantity, resource.unit) == (
        "Bidons", "160213", Decimal("0.250"), "kg")
    assert (resource.period, resource.confidentiality, resource.year, resource.kind) == (
        "year", "private", 2026, "")


def test_actors_without_naf_and_kind_are_fine(tmp_path: Path) -> None:
    with read_bundle(folder(tmp_path, actors="id,name,naf,kind\na1,X,,\n"),
                     default_year=2026) as reader:
        assert reader.check().ok
        assert [(a.naf, a.kind) for a in reader.actors()] == [("", "")]
