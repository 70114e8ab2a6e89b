"""Workbooks in and out: sheets by name, typed cells, formulas refused, never written."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook

from symbiose.core.bundle import ActorRecord, ResourceRecord, read_bundle, write_bundle
from tests.core.bundle.build import check, located, only, text


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


ACTOR_ROWS: list[list[object]] = [
    ["Identifiant", "Nom", "Code NAF", "Latitude", "Longitude", "Effectif", "SIRET"],
    ["a1", "Fonderie", "24.53Z", 47.18, 3.02, 110, 73282932000074],
    [2, "Ferme", "01.50Z", 47.21, 3.03, 4.0, None],
]
RESOURCE_ROWS: list[list[object]] = [
    ["Acteur", "Sens", "Libellé", "Quantité", "Unité", "Coût annuel", "Année"],
    ["a1", "sortant", "Sables", 1100.5, "t", 44000, 2025],
    [2, "entrant", "Chaleur", 0.25, "MWh", None, None],
]


def test_french_sheets_with_numeric_cells(tmp_path: Path) -> None:
    path = workbook(tmp_path / "t.xlsx", {
        "Notes": [["à lire"]], "Acteurs": ACTOR_ROWS, "Ressources": RESOURCE_ROWS})
    with read_bundle(path, default_year=2026) as reader:
        result = reader.check()
        assert result.ok, [text(p) for p in result.problems]
        actors, resources = list(reader.actors()), list(reader.resources())
    assert [text(n) for n in result.notices] == ["ignored sheet “Notes”: not a bundle table"]
    assert [(a.id, a.lat, a.employees, a.siret) for a in actors] == [
        ("a1", Decimal("47.18"), 110, "73282932000074"), ("2", Decimal("47.21"), 4, "")]
    assert [(r.actor_id, r.quantity, r.cost_eur, r.year) for r in resources] == [
        ("a1", Decimal("1100.5"), Decimal("44000"), 2025), ("2", Decimal("0.25"), None, 2026)]


def test_problems_name_the_sheet_and_the_row_as_shown(tmp_path: Path) -> None:
    rows: list[list[object]] = [*RESOURCE_ROWS, [], ["a1", "sortant", "Bois", -3, "t", None, None]]
    path = workbook(tmp_path / "t.xlsx", {"actors": ACTOR_ROWS, "resources": rows})
    assert located(only(check(path))) == ("resources", 5, "Quantité", "-3")


def test_a_formula_cell_is_refused(tmp_path: Path) -> None:
    rows: list[list[object]] = [*RESOURCE_ROWS, ["a1", "sortant", "Bois", "=B2*2", "t", None, None]]
    path = workbook(tmp_path / "t.xlsx", {"actors": ACTOR_ROWS, "resources": rows})
    problem = only(check(path))
    assert located(problem) == ("resources", 4, "Quantité", "=B2*2")
    assert text(problem) == "cell contains a formula; paste values instead"


def test_a_sheet_with_only_a_header(tmp_path: Path) -> None:
    path = workbook(tmp_path / "t.xlsx", {"actors": ACTOR_ROWS, "resources": RESOURCE_ROWS[:1]})
    problem = only(check(path))
    assert (problem.where, problem.row) == ("resources", 1)


def test_no_actors_sheet_lists_the_sheets_found(tmp_path: Path) -> None:
    path = workbook(tmp_path / "t.xlsx", {"Feuil1": ACTOR_ROWS})
    assert "found: Feuil1" in text(only(check(path)))


def records() -> tuple[list[ActorRecord], list[ResourceRecord]]:
    actors = [ActorRecord(id="a1", name="Fonderie", lat=Decimal("47.180000"),
                          lon=Decimal("-1.5"), employees=110, siret="73282932000074")]
    resources = [
        ResourceRecord(id="r1", actor_id="a1", direction="out", label="=HYPERLINK(\"x\")",
                       year=2026, ewc="160213", quantity=Decimal("1.8E+3"), unit="t",
                       cost_eur=Decimal("44000.00")),
        ResourceRecord(id="r2", actor_id="a1", direction="in", label="@SUM(A1)", year=2026,
                       quantity=Decimal("0.250"), notes="+33 6 12 34 56 78"),
    ]
    return actors, resources


def test_export_writes_numbers_as_numbers_and_text_never_as_formula(tmp_path: Path) -> None:
    actors, resources = records()
    path = tmp_path / "out.xlsx"
    write_bundle(path, actors=actors, resources=resources)
    book = load_workbook(path)
    assert book.sheetnames == ["actors", "resources"]
    rows = book["resources"]
    assert [c.value for c in rows[1]] == [
        "actor_id", "direction", "label", "kind", "ewc", "quantity", "unit", "period",
        "cost_eur", "confidentiality", "id", "year", "resource_class", "notes"]
    sand = [c.value for c in rows[2]]
    assert sand[2] == "'=HYPERLINK(\"x\")" and rows[2][2].data_type == "s"
    assert (sand[4], sand[5], sand[8], sand[11]) == ("16 02 13*", 1800, 44000, 2026)
    assert rows[3][2].value == "'@SUM(A1)" and rows[3][13].value == "'+33 6 12 34 56 78"
    assert rows[3][5].value == 0.25 and rows[3][5].data_type == "n"
    assert all(c.data_type != "f" for row in rows.iter_rows() for c in row)
    actor = [c.value for c in book["actors"][2]]
    assert (actor[4], actor[5], actor[9]) == (47.18, -1.5, "73282932000074")


def test_xlsx_round_trip_gives_the_same_cells(tmp_path: Path) -> None:
    actors, resources = records()
    write_bundle(tmp_path / "one.xlsx", actors=actors, resources=resources)
    with read_bundle(tmp_path / "one.xlsx", default_year=2026) as reader:
        assert reader.check().ok
        again = list(reader.resources())
        write_bundle(tmp_path / "two.xlsx", actors=reader.actors(), resources=again)
    assert [r.label for r in again] == ["=HYPERLINK(\"x\")", "@SUM(A1)"]
    assert again[1].notes == "+33 6 12 34 56 78"

    def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
        book = load_workbook(path, read_only=True)
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}

    assert cells(tmp_path / "one.xlsx") == cells(tmp_path / "two.xlsx")
