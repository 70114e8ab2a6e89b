"""OpenDocument spreadsheets in and out, as LibreOffice writes them: sheets by name,
typed cells, runs of repeated rows and cells, formulas refused, never written."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText, load
from odf.table import CoveredTableCell, Table, TableCell, TableRow, TableRowGroup
from odf.text import P

from symbiose.core.bundle import read_bundle, write_bundle
from symbiose.core.bundle.limits import ReadLimits
from tests.core.bundle.build import check, located, only, text
from tests.core.bundle.test_xlsx import ACTOR_ROWS, RESOURCE_ROWS, records


def _cell(value: object) -> TableCell:
    if value is None:
        return TableCell()
    if isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=str(value))
    elif isinstance(value, str) and value.startswith("="):
        cell = TableCell(formula=f"of:{value}", valuetype="float", value="2")
    else:
        cell = TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


def _row(values: list[object], repeated: int = 1) -> TableRow:
    row = TableRow(numberrowsrepeated=repeated) if repeated > 1 else TableRow()
    for value in values:
        row.addElement(_cell(value))
    # LibreOffice closes each row with a run of empty cells up to its last column.
    row.addElement(TableCell(numbercolumnsrepeated=1017))
    return row


def spreadsheet(path: Path, sheets: dict[str, list[TableRow]]) -> Path:
    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        sheet = Table(name=name)
        for row in rows:
            sheet.addElement(row)
        document.spreadsheet.addElement(sheet)
    document.save(str(path))
    return path


def rows(values: list[list[object]]) -> list[TableRow]:
    return [_row(row) for row in values]


def test_french_sheets_with_numeric_cells_and_libreoffice_runs(tmp_path: Path) -> None:
    # A header kept on every printed page, a folded group, and the million empty rows
    # LibreOffice writes after the data once a column has a style.
    actors = [TableRow(), *rows(ACTOR_ROWS)]
    group = TableRowGroup()
    for row in rows(RESOURCE_ROWS[1:]):
        group.addElement(row)
    resources = [*rows(RESOURCE_ROWS[:1]), group, _row([], repeated=1_048_572)]
    path = spreadsheet(tmp_path / "t.ods", {"Notes": rows([["à lire"]]), "Acteurs": actors,
                                            "Ressources": resources})
    with read_bundle(path, default_year=2026) as reader:
        result = reader.check()
        assert result.ok, [text(p) for p in result.problems]
        found_actors, found_resources = list(reader.actors()), list(reader.resources())
    assert [text(n) for n in result.notices] == ["ignored sheet “Notes”: not a bundle table"]
    assert [(a.id, a.lat, a.employees, a.siret) for a in found_actors] == [
        ("a1", Decimal("47.18"), 110, "73282932000074"), ("2", Decimal("47.21"), 4, "")]
    assert [(r.actor_id, r.quantity, r.cost_eur, r.year) for r in found_resources] == [
        ("a1", Decimal("1100.5"), Decimal("44000"), 2025), ("2", Decimal("0.25"), None, 2026)]


def test_problems_name_the_sheet_and_the_row_as_libreoffice_shows_it(tmp_path: Path) -> None:
    # Three identical rows stored once, then two blank rows stored once: the bad row is
    # row 8 on the screen.
    sand = ["a1", "sortant", "Sable", 3, "t", None, 2025]
    body = [*rows(RESOURCE_ROWS[:1]), _row(sand, repeated=3), _row([], repeated=2),
            _row(["a1", "sortant", "Bois", -3, "t", None, None])]
    path = spreadsheet(tmp_path / "t.ods", {"actors": rows(ACTOR_ROWS), "resources": body})
    assert located(only(check(path))) == ("resources", 7, "Quantité", "-3")


def test_a_row_stored_once_and_repeated_is_as_many_rows(tmp_path: Path) -> None:
    body = [*rows(RESOURCE_ROWS[:1]),
            _row(["a1", "sortant", "Sable", 3, "t", None, 2025], repeated=2),
            _row(["2", "entrant", "Chaleur", 1, "MWh", None, 2025])]
    path = spreadsheet(tmp_path / "t.ods", {"actors": rows(ACTOR_ROWS), "resources": body})
    with read_bundle(path, default_year=2026) as reader:
        assert reader.check().ok
        found = list(reader.resources())
    assert [r.label for r in found] == ["Sable", "Sable", "Chaleur"]
    assert len({r.id for r in found}) == 3


def test_a_formula_cell_is_refused(tmp_path: Path) -> None:
    formula = _row(["a1", "sortant", "Bois", "=[.B2]*2", "t", None, None])
    path = spreadsheet(tmp_path / "t.ods", {
        "actors": rows(ACTOR_ROWS), "resources": [*rows(RESOURCE_ROWS), formula]})
    problem = only(check(path))
    assert located(problem) == ("resources", 4, "Quantité", "of:=[.B2]*2")
    assert text(problem) == "cell contains a formula; paste values instead"


def test_the_hidden_part_of_a_merged_cell_keeps_the_columns_in_place(tmp_path: Path) -> None:
    merged = TableRow()
    for value in ("a1", "sortant"):
        merged.addElement(_cell(value))
    label = _cell("Bois")
    label.setAttribute("numbercolumnsspanned", "2")
    merged.addElement(label)
    merged.addElement(CoveredTableCell())  # under "Bois", in the Quantité column
    merged.addElement(_cell("kg"))
    path = spreadsheet(tmp_path / "t.ods", {
        "actors": rows(ACTOR_ROWS), "resources": [*rows(RESOURCE_ROWS[:1]), merged]})
    with read_bundle(path, default_year=2026) as reader:
        assert reader.check().ok
        [wood] = reader.resources()
    assert (wood.label, wood.quantity, wood.unit) == ("Bois", None, "kg")


def test_a_blank_run_followed_by_data_is_reported(tmp_path: Path) -> None:
    body = [*rows(RESOURCE_ROWS), _row([], repeated=600),
            _row(["a1", "sortant", "Bois", 3, "t", None, None])]
    path = spreadsheet(tmp_path / "t.ods", {"actors": rows(ACTOR_ROWS), "resources": body})
    with read_bundle(path, default_year=2026,
                     limits=ReadLimits(max_rows=10**6, max_blank_run=500)) as reader:
        problem = only(reader.check())
    assert problem.where == "resources" and problem.row == 4
    assert "600 blank rows in a row from row 4" in text(problem)


def test_a_text_document_named_ods_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "territoire.ods"
    OpenDocumentText().save(str(path))
    problem = only(check(path))
    assert problem.where == "territoire.ods"
    assert "not a readable OpenDocument spreadsheet (.ods)" in text(problem)


def test_export_writes_numbers_as_numbers_and_text_never_as_formula(tmp_path: Path) -> None:
    actors, resources = records()
    path = tmp_path / "out.ods"
    write_bundle(path, actors=actors, resources=resources)
    with zipfile.ZipFile(path) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    document = load(str(path))
    sheets = document.spreadsheet.getElementsByType(Table)
    assert [s.getAttribute("name") for s in sheets] == ["actors", "resources"]
    cells = [row.getElementsByType(TableCell) for row in sheets[1].getElementsByType(TableRow)]
    assert str(cells[0][2]) == "label"
    assert str(cells[1][2]) == "'=HYPERLINK(\"x\")"
    assert cells[1][2].getAttribute("valuetype") == "string"
    assert (cells[1][5].getAttribute("valuetype"), cells[1][5].getAttribute("value")) == (
        "float", "1800")
    assert cells[2][5].getAttribute("value") == "0.25"
    assert not any(c.getAttribute("formula") for row in cells for c in row)


def test_ods_round_trip_gives_the_same_records(tmp_path: Path) -> None:
    actors, resources = records()
    write_bundle(tmp_path / "one.ods", actors=actors, resources=resources)
    with read_bundle(tmp_path / "one.ods", default_year=2026) as reader:
        assert reader.check().ok
        assert list(reader.actors()) == actors
        assert list(reader.resources()) == resources
