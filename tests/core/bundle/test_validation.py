"""Every bad input gives one located problem: file, row as shown, column as written, value."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.bundle.build import ACTORS, RESOURCES, check, folder, located, only, text

RES_HEAD = "actor_id,direction,label,kind,ewc,quantity,unit,period,cost_eur,confidentiality\n"
ACT_HEAD = "id,name,naf,kind,lat,lon,commune,zone,employees\n"


def test_the_reference_bundle_is_clean(tmp_path: Path) -> None:
    result = check(folder(tmp_path, actors=ACTORS, resources=RESOURCES))
    assert result.ok, [text(p) for p in result.problems]
    assert result.counts == {"actors": 2, "resources": 3, "synergies": 0}


def resource_problem(tmp_path: Path, row: str) -> tuple[tuple[object, ...], str]:
    problem = only(check(folder(tmp_path, actors=ACTORS, resources=RES_HEAD + row + "\n")))
    return located(problem), text(problem)


def actor_problem(tmp_path: Path, row: str, head: str = ACT_HEAD) -> tuple[tuple[object, ...],
                                                                        str]:
    problem = only(check(folder(tmp_path, actors=head + row + "\n")))
    return located(problem), text(problem)


def test_missing_required_column_names_it_and_its_aliases(tmp_path: Path) -> None:
    result = check(folder(tmp_path, actors=ACTORS,
                          resources="actor_id,label,quantity\na1,Palettes,3\n"))
    problem = only(result)
    assert located(problem) == ("resources.csv", 1, "direction", None)
    assert "direction" in text(problem) and "sens" in text(problem)


def test_empty_required_value(tmp_path: Path) -> None:
    where, message = resource_problem(tmp_path, "a1,out,,material,,1,t,,,")
    assert where == ("resources.csv", 2, "label", "")
    assert "required" in message


def test_duplicate_actor_id_says_where_it_was_first(tmp_path: Path) -> None:
    problem = only(check(folder(tmp_path, actors=ACTORS + "a1,Autre,,,,,,,\n")))
    assert located(problem) == ("actors.csv", 4, "id", "a1")
    assert "row 2" in text(problem)


def test_duplicate_resource_id_same_year(tmp_path: Path) -> None:
    resources = ("actor_id,direction,label,id,year\n"
                 "a1,out,Palettes,r1,2025\na1,out,Cartons,r1,2026\na2,in,Palettes,r1,2025\n")
    problem = only(check(folder(tmp_path, actors=ACTORS, resources=resources)))
    assert located(problem) == ("resources.csv", 4, "id", "r1")
    assert "2025" in text(problem) and "row 2" in text(problem)


def test_duplicate_resource_id_with_the_default_year(tmp_path: Path) -> None:
    resources = "actor_id,direction,label,id\na1,out,Palettes,r1\na1,out,Cartons,r1\n"
    problem = only(check(folder(tmp_path, actors=ACTORS, resources=resources), year=2024))
    assert located(problem) == ("resources.csv", 3, "id", "r1")
    assert "2024" in text(problem)


def test_resource_of_an_unknown_actor(tmp_path: Path) -> None:
    where, message = resource_problem(tmp_path, "a9,out,Palettes,material,,1,t,,,")
    assert where == ("resources.csv", 2, "actor_id", "a9")
    assert "unknown actor" in message


def test_known_actor_ids_may_be_referenced(tmp_path: Path) -> None:
    bundle = folder(tmp_path, actors=ACTORS, resources=RES_HEAD + "a9,out,Palettes,,,,,,,\n")
    assert check(bundle, known=("a9",)).ok


def test_resources_without_actors_table_refer_to_the_territory(tmp_path: Path) -> None:
    bundle = folder(tmp_path, resources=RES_HEAD + "a9,out,Palettes,,,,,,,\na8,in,Bois,,,,,,,\n")
    assert check(bundle, known=("a9", "a8")).ok
    assert located(only(check(bundle, known=("a9",)))) == ("resources.csv", 3, "actor_id", "a8")


def test_missing_actors_table_without_known_actors(tmp_path: Path) -> None:
    problem = only(check(folder(tmp_path, resources=RES_HEAD + "a9,out,Palettes,,,,,,,\n")))
    assert "no actors table" in text(problem)


def test_quantity_not_a_number(tmp_path: Path) -> None:
    where, message = resource_problem(tmp_path, "a1,out,Palettes,material,,beaucoup,t,,,")
    assert where == ("resources.csv", 2, "quantity", "beaucoup")
    assert message == "“beaucoup” is not a number"


def test_negative_cost(tmp_path: Path) -> None:
    where, message = resource_problem(tmp_path, "a1,out,Palettes,material,,3,t,,-40,")
    assert where == ("resources.csv", 2, "cost_eur", "-40")
    assert "negative" in message


def test_employees_not_whole(tmp_path: Path) -> None:
    where, message = actor_problem(tmp_path, "a1,Fonderie,,,,,,,12.5")
    assert where == ("actors.csv", 2, "employees", "12.5")
    assert "whole number" in message


def test_unknown_unit_with_suggestions(tmp_path: Path) -> None:
    where, message = resource_problem(tmp_path, "a1,out,Palettes,material,,3,tonnnes,,,")
    assert where == ("resources.csv", 2, "unit", "tonnnes")
    assert "unknown unit" in message and "t" in message.split(":")[-1]


def test_invalid_ewc_code_with_suggestions(tmp_path: Path) -> None:
    where, message = resource_problem(tmp_path, "a1,out,Palettes,material,15 01 99,3,t,,,")
    assert where == ("resources.csv", 2, "ewc", "15 01 99")
    assert "EWC" in message and "nearest" in message


def test_invalid_naf_code_with_suggestions(tmp_path: Path) -> None:
    where, message = actor_problem(tmp_path, "a1,Fonderie,99.99Z,,,,,,")
    assert where == ("actors.csv", 2, "naf", "99.99Z")
    assert "NAF" in message and "99.00Z" in message


@pytest.mark.parametrize(("row", "column", "value"), [
    ("a1,Fonderie,,,91,3,,,", "lat", "91"),
    ("a1,Fonderie,,,47,-180.5,,,", "lon", "-180.5"),
])
def test_coordinates_out_of_range(tmp_path: Path, row: str, column: str, value: str) -> None:
    where, message = actor_problem(tmp_path, row)
    assert where == ("actors.csv", 2, column, value)
    assert "between" in message


def test_only_one_coordinate(tmp_path: Path) -> None:
    where, message = actor_problem(tmp_path, "a1,Fonderie,,,47.1,,,,")
    assert where == ("actors.csv", 2, "lon", "")
    assert "both latitude and longitude" in message


@pytest.mark.parametrize(("row", "column", "value", "allowed"), [
    ("a1,sideways,Palettes,material,,,,,,", "direction", "sideways", "out, in"),
    ("a1,out,Palettes,plasma,,,,,,", "kind", "plasma", "material"),
    ("a1,out,Palettes,,,,,fortnight,,", "period", "fortnight", "year, month, week, day"),
    ("a1,out,Palettes,,,,,,,secret", "confidentiality", "secret", "private, anonymous"),
])
def test_unknown_vocabulary_word_lists_the_allowed_values(
    tmp_path: Path, row: str, column: str, value: str, allowed: str
) -> None:
    where, message = resource_problem(tmp_path, row)
    assert where == ("resources.csv", 2, column, value)
    assert allowed in message


def test_unknown_actor_kind(tmp_path: Path) -> None:
    where, message = actor_problem(tmp_path, "a1,Fonderie,,martian,,,,,")
    assert where == ("actors.csv", 2, "kind", "martian")
    assert "company, farm" in message


@pytest.mark.parametrize(("siret", "expected"), [
    ("1234", "14 digits"),
    ("73282932000075", "not valid"),  # Luhn fails (last digit changed)
])
def test_bad_siret(tmp_path: Path, siret: str, expected: str) -> None:
    where, message = actor_problem(tmp_path, f"a1,Fonderie,{siret}", head="id,name,siret\n")
    assert where == ("actors.csv", 2, "siret", siret)
    assert expected in message


def test_good_siret_with_spaces_is_stored_as_digits(tmp_path: Path) -> None:
    from symbiose.core.bundle import read_bundle

    bundle = folder(tmp_path, actors="id,name,siret\na1,Fonderie,732 829 320 00074\n")
    with read_bundle(bundle, default_year=2026) as reader:
        assert reader.check().ok
        assert [a.siret for a in reader.actors()] == ["73282932000074"]


@pytest.mark.parametrize("year", ["1850", "26", "deux mille"])
def test_implausible_year(tmp_path: Path, year: str) -> None:
    bundle = folder(tmp_path, actors=ACTORS,
                    resources=f"actor_id,direction,label,year\na1,out,Palettes,{year}\n")
    problem = only(check(bundle))
    assert located(problem) == ("resources.csv", 2, "year", year)
    assert "1990" in text(problem)


def synergy_problem(tmp_path: Path, row: str) -> tuple[tuple[object, ...], str]:
    head = "type,supplier_id,receiver_id,actor_ids,resource,score\n"
    bundle = folder(tmp_path, actors=ACTORS, synergies=head + row + "\n")
    problem = only(check(bundle))
    return located(problem), text(problem)


def test_synergy_bad_type(tmp_path: Path) -> None:
    where, message = synergy_problem(tmp_path, "swap,a1,a2,a1;a2,Chaleur,0.5")
    assert where == ("synergies.csv", 2, "type", "swap")
    assert "substitution, pooling, sharing" in message


def test_synergy_score_outside_0_1(tmp_path: Path) -> None:
    where, message = synergy_problem(tmp_path, "substitution,a1,a2,a1;a2,Chaleur,1.5")
    assert where == ("synergies.csv", 2, "score", "1.5")
    assert "between 0 and 1" in message


def test_synergy_unknown_actor(tmp_path: Path) -> None:
    where, message = synergy_problem(tmp_path, "pooling,,,a1;a7,Collecte DEEE,0.5")
    assert where == ("synergies.csv", 2, "actor_ids", "a7")
    assert "unknown actor" in message


def test_csv_cell_starting_with_equals_is_refused(tmp_path: Path) -> None:
    where, message = resource_problem(tmp_path, "a1,out,=A1&B1,material,,3,t,,,")
    assert where == ("resources.csv", 2, "label", "=A1&B1")
    assert message == "cell contains a formula; paste values instead"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    resources = RES_HEAD + (
        "a1,out,Palettes,material,,-3,t,,,\n"
        "a1,out,Palettes bois,material,,,t,,,\n"
        "a9,in,Cartons,material,,4,kg,,,\n"
        "a2,in,Eau,water,,12,m3,,,\n"
        "a2,entrée,Chaleur,énergie,,,,,abc,\n"
    )
    result = check(folder(tmp_path, actors=ACTORS, resources=resources))
    assert result.problem_total == 3
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "quantity"), (4, "actor_id"), (6, "cost_eur")]


def test_one_row_with_several_problems_reports_each(tmp_path: Path) -> None:
    result = check(folder(tmp_path, actors=ACTORS,
                          resources=RES_HEAD + "a1,up,,plasma,,x,zz,,,\n"))
    assert sorted(p.column or "" for p in result.problems) == [
        "direction", "kind", "label", "quantity", "unit"]


def test_problems_beyond_a_thousand_are_counted_not_kept(tmp_path: Path) -> None:
    rows = "".join(f"a1,out,Palettes {i},,,x{i},,,,\n" for i in range(1200))
    result = check(folder(tmp_path, actors=ACTORS, resources=RES_HEAD + rows))
    assert result.problem_total == 1200
    assert len(result.problems) == 1000
    assert not result.ok


@pytest.mark.parametrize(("column", "row"), [
    ("quantity", "a1,out,Sciure,material,,1e30,t,,,"),
    ("quantity", "a1,out,Sciure,material,,123456789012345678901234567890,t,,,"),
    ("cost_eur", "a1,out,Sciure,material,,1,t,,5000000000000,"),
])
def test_an_amount_no_territory_has_is_refused(tmp_path: Path, column: str, row: str) -> None:
    where, message = resource_problem(tmp_path, row)
    assert where[:3] == ("resources.csv", 2, column)
    assert "out of range" in message and "1\u202f000\u202f000\u202f000\u202f000" in message


def test_a_nul_character_is_refused_where_it_is(tmp_path: Path) -> None:
    where, message = actor_problem(tmp_path, "a9,Nul\x00Corp,,,,,,,")
    assert where == ("actors.csv", 2, "name", "Nul\\0Corp")
    assert "NUL" in message
