"""The columnar path gives what the row path gives, and steps aside for any bad bundle.

`symbiose match` reads a clean CSV bundle column-wise (`bundle.columnar`) and builds the
engine's tables from the columns (`matching.columnar`); anything else goes the row way.
So two facts carry the whole change: on a clean bundle the proposals are the same, and
the columnar reader never calls clean a bundle that `check()` refuses.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbiose.core.bundle import SynergyRecord, read_bundle, write_bundle
from symbiose.core.bundle.columnar import read_columns
from symbiose.core.matching import match, match_columns
from symbiose.core.matching.columnar import actor_table_of, resource_table_of
from symbiose.core.matching.tables import actor_table, resource_table
from symbiose.core.synth import synth_territory
from tests.cases import case_dirs

YEAR = 2025


Outcome = tuple[list[SynergyRecord] | str | None, list[SynergyRecord] | None]


def both_ways(path: Path, *, language: str = "en", radius_km: float = 50.0) -> Outcome:
    """(columnar proposals or None when it stepped aside, row proposals or None when
    check() refused)."""
    with read_bundle(path, default_year=YEAR) as reader:
        columns = read_columns(reader)
        if not reader.check().ok:
            return (None if columns is None else "clean?"), None
        rows = match(reader.actors(), reader.resources(), radius_km=radius_km,
                     language=language)
    fast = None if columns is None else match_columns(columns, radius_km=radius_km,
                                                      language=language)
    return fast, rows


def synth_bundle(tmp_path: Path, actors: int, seed: int) -> Path:
    people, resources = synth_territory(actors, seed=seed)
    path = tmp_path / f"synth-{actors}-{seed}"
    write_bundle(path, actors=people, resources=resources)
    return path


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_a_case_gives_the_same_proposals_column_wise(case: Path) -> None:
    fast, rows = both_ways(case, language="fr")
    assert rows is not None and fast is not None
    assert fast == rows


@pytest.mark.parametrize(("actors", "seed", "language"),
                         [(40, 1, "en"), (300, 2, "fr"), (1200, 7, "fr")])
def test_a_synthetic_territory_gives_the_same_proposals(tmp_path: Path, actors: int,
                                                        seed: int, language: str) -> None:
    fast, rows = both_ways(synth_bundle(tmp_path, actors, seed), language=language)
    assert fast is not None and rows
    assert fast == rows


def french(path: Path, target: Path) -> Path:
    """The bundle as French Excel saves it: ";" separators, Windows-1252, decimal comma."""
    target.mkdir()
    for name in ("actors", "resources"):
        rows = list(csv.reader(io.StringIO((path / f"{name}.csv").read_text("utf-8"))))
        numeric = {i for i, h in enumerate(rows[0]) if h in ("lat", "lon", "quantity",
                                                              "cost_eur")}
        for row in rows[1:]:
            for i in numeric:
                row[i] = row[i].replace(".", ",")
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
        (target / f"{name}.csv").write_bytes(out.getvalue().encode("cp1252"))
    return target


def test_a_french_spreadsheet_gives_the_same_proposals(tmp_path: Path) -> None:
    plain = synth_bundle(tmp_path, 200, 3)
    fast, rows = both_ways(french(plain, tmp_path / "fr"))
    assert fast is not None and rows
    assert fast == rows == both_ways(plain)[1]


def test_rows_without_ids_get_the_ids_the_row_reader_derives(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "actors.csv").write_text(
        "id,name,naf,lat,lon\na1,Un,24.53Z,47.1,3.0\na2,Deux,01.50Z,47.2,3.1\n")
    (tmp_path / "b" / "resources.csv").write_text(
        "actor_id,direction,label,quantity,unit,id,year\n"
        "a1,out,Palettes,3,t,,\n"
        "a1,out,palettes ,4,t,,\n"  # same label once folded: base-2
        "a1,out,Palettes,5,t,,2024\n"  # another year: the base again
        "a2,in,Palettes bois,2,t,a1-out-x,\n"
        "a2,in,Palettes bois,2,t,,\n")
    with read_bundle(tmp_path / "b", default_year=YEAR) as reader:
        columns = read_columns(reader)
        assert columns is not None and reader.check().ok
        rows = resource_table(reader.resources(), actor_table(reader.actors()))
    fast = resource_table_of(columns.resources, actor_table_of(columns.actors))
    assert fast.ids == rows.ids
    assert fast.labels == rows.labels
    assert fast.unit == rows.unit
    assert fast.classification == rows.classification
    assert fast.quantity.tolist() == rows.quantity.tolist()
    assert (fast.m_class == rows.m_class).all() and (fast.m_resource == rows.m_resource).all()


def test_one_bad_row_among_many_clean_ones_is_said_as_before(tmp_path: Path) -> None:
    path = synth_bundle(tmp_path, 300, 4)
    lines = (path / "resources.csv").read_text("utf-8").splitlines(keepends=True)
    cells = next(csv.reader([lines[700]]))
    cells[5] = "12,5,0"  # quantity
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    lines[700] = out.getvalue()
    (path / "resources.csv").write_text("".join(lines), "utf-8")
    with read_bundle(path, default_year=YEAR) as reader:
        assert read_columns(reader) is None
        check = reader.check()
    assert check.problem_total == 1
    problem = check.problems[0]
    assert (problem.where, problem.row, problem.column, problem.value) == (
        "resources.csv", 701, "quantity", "12,5,0")


TRICKY = ["", " ", "-1", "0", "1,200", "1.200", "1 200,5", "2,5", "1e3", "+5", "abc",
          "=SUM(A1)", "'=x", "x\x00y", "99999999999999", "1000000000000", "t", "tonnes",
          "xyz", "out", "in", "sortie", "Sortant", "16 02 13*", "99 99 99", "2024", "1890",
          "a1", "a2", "a9", "  padded  ", "90", "-90.0", "90.0001", "200", "year", "mois",
          "company", "ferme", "private", "public", "24.53Z", "99.99Z", "12", "12.5",
          "Palettes", "r1", "r2", "\t", "€"]

ACTORS = [["id", "name", "naf", "kind", "lat", "lon", "employees", "engagement"],
          ["a1", "Fonderie", "24.53Z", "company", "47.1", "3.0", "110", ""],
          ["a2", "Ferme", "01.50Z", "farm", "47.2", "3.1", "4", "engagé"],
          ["a3", "Hôpital", "86.10Z", "health", "47.15", "3.05", "", ""]]
RESOURCES = [["actor_id", "direction", "label", "kind", "ewc", "quantity", "unit", "period",
              "cost_eur", "confidentiality", "id", "year"],
             ["a1", "out", "Sables de fonderie", "material", "10 10 08", "1100", "t", "",
              "44000", "", "r1", ""],
             ["a1", "out", "Chaleur fatale", "energy", "", "4200", "MWh", "year", "", "",
              "r2", "2024"],
             ["a2", "in", "Chaleur pour le digesteur", "energy", "", "650", "MWh", "", "",
              "", "", ""],
             ["a3", "in", "Palettes", "", "", "3", "t", "mois", "", "public", "", ""]]


# Cells to replace: (in actors?, row, column, text).
Edits = list[tuple[bool, int, int, str]]


def edited_bundle(path: Path, edits: Edits) -> Path:
    """ACTORS and RESOURCES with cells replaced: (in actors?, row, column, text)."""
    tables = {"actors": [list(r) for r in ACTORS], "resources": [list(r) for r in RESOURCES]}
    for in_actors, row, column, text in edits:
        table = tables["actors" if in_actors else "resources"]
        if row < len(table):
            table[row][column % len(table[0])] = text
    for name, rows in tables.items():
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (path / f"{name}.csv").write_text(out.getvalue(), "utf-8")
    return path


def tricky_edits(most: int) -> st.SearchStrategy[Edits]:
    return st.lists(st.tuples(st.booleans(), st.integers(1, 4), st.integers(0, 11),
                              st.sampled_from(TRICKY)), min_size=1, max_size=most)


@settings(max_examples=120, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(tricky_edits(3))
def test_the_columnar_reader_never_calls_a_refused_bundle_clean(
        tmp_path_factory: pytest.TempPathFactory, edits: Edits) -> None:
    """Cells of a small clean bundle replaced by tricky texts: either both ways refuse
    it, or the columnar way steps aside, or both give the same proposals."""
    fast, rows = both_ways(edited_bundle(tmp_path_factory.mktemp("tricky"), edits))
    if rows is None:
        assert fast is None
    elif fast is not None:
        assert fast == rows


CLEAN = "actor_id,direction,label,quantity,unit\na1,out,Palettes,3,t\na3,in,Palettes,2,t\n"
ODD_FILES = {
    "end of file inside quotes": CLEAN + 'a1,out,"Pal\n',
    "a row wider than the header": CLEAN + "a1,out,Pal,3,t,extra\n",
    "a quote inside a cell": CLEAN + 'a1,out,Pa"l"ettes,3,t\n',
    "text after a closing quote": CLEAN + 'a1,out,"Pal"ettes,3,t\n',
    "CRLF lines": CLEAN.replace("\n", "\r\n"),
    "CR lines": CLEAN.replace("\n", "\r"),
    "a line break inside quotes": CLEAN + 'a1,out,"Pal\nettes",3,t\n',
    "a trailing separator": CLEAN.replace(",t\n", ",t,\n"),
    "a blank line": CLEAN + "\n" + "a1,in,Cartons,1,t\n",
    "a line of spaces": CLEAN + "   \n" + "a1,in,Cartons,1,t\n",
    "a grouped number": CLEAN + 'a1,in,Cartons,"1\u00a0200",t\n',
    "a title line": "Mon fichier\n" + CLEAN,
    # Not in a column's first distinct text: the reader looks for them all at once.
    "a neutralised cell further down": CLEAN + "a1,in,'=Cartons,1,t\n",
    "a formula further down": CLEAN + "a1,in,=Cartons,1,t\n",
    "a NUL further down": CLEAN + "a1,in,Car\x00tons,1,t\n",
}


@pytest.mark.parametrize("name", list(ODD_FILES))
def test_odd_csv_files_are_read_alike_or_left_to_the_row_reader(tmp_path: Path,
                                                                name: str) -> None:
    """Where pandas' parser and the csv module could read a file differently, the
    columnar path either agrees with the row reader cell for cell, or steps aside."""
    path = tmp_path / "odd"
    path.mkdir()
    (path / "actors.csv").write_text("id,name,lat,lon\na1,Un,47.1,3.0\na3,Trois,47.2,3.1\n")
    (path / "resources.csv").write_bytes(ODD_FILES[name].encode("utf-8"))
    with read_bundle(path, default_year=YEAR) as reader:
        columns = read_columns(reader)
        if columns is None:
            return
        assert reader.check().ok
        rows = resource_table(reader.resources(), actor_table(reader.actors()))
    fast = resource_table_of(columns.resources, actor_table_of(columns.actors))
    assert (fast.ids, fast.labels, fast.unit) == (rows.ids, rows.labels, rows.unit)
    assert fast.quantity.tolist() == rows.quantity.tolist()


def test_a_need_read_by_its_end_use_is_read_so_column_wise(tmp_path: Path) -> None:
    # The same label offered by one actor and needed by another, both of unknown trade:
    # the need reads its end use, the offer does not, on both paths.
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "actors.csv").write_text(
        "id,name,naf,lat,lon\na1,Un,,47.1,3.0\na2,Deux,,47.2,3.1\na3,Trois,,47.15,3.05\n")
    (tmp_path / "b" / "resources.csv").write_text(
        "actor_id,direction,label\n"
        "a1,out,Organic wastes as gasifier feed\n"
        "a2,in,Organic wastes as gasifier feed\n"
        "a3,out,Straw and wood chips\n")
    fast, rows = both_ways(tmp_path / "b")
    assert fast is not None and rows is not None
    assert fast == rows
    assert {(p.supplier_id, p.receiver_id) for p in rows} >= {("a1", "a2"), ("a3", "a2")}
