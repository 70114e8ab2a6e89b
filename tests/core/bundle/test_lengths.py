"""A cell longer than the database column that stores it is a located problem, said the
same by the row check and by the column-wise triage, never a database error at write."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from symbiose.core.bundle import read_bundle
from symbiose.core.bundle.columnar import BundleColumns, Triage
from symbiose.core.bundle.keys import derived_id
from symbiose.core.bundle.lengths import FIELD_LENGTHS, SHOWN_CHARS, TOO_LONG
from symbiose.core.bundle.reader import DERIVED_RESOURCE, DUPLICATE_RESOURCE
from tests.core.bundle.build import ACTORS, RESOURCES, SYNERGIES, folder, triaged_checks

YEAR = 2026
TEXTS = {"actors": ACTORS, "resources": RESOURCES, "synergies": SYNERGIES}


def with_cell(text: str, field: str, value: str, data_row: int = 0) -> str:
    """The CSV text with `field` of one data row set to `value` (the column added, empty
    elsewhere, when the header lacks it)."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    if field not in header:
        header.append(field)
        for row in rows[1:]:
            row.append("")
    rows[1 + data_row][header.index(field)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def bundle(tmp_path: Path, table: str, field: str, value: str, data_row: int = 0) -> Path:
    """Actors and resources (what the column-wise path reads), and synergies when the
    cell is one of theirs."""
    tables = {name: text for name, text in TEXTS.items()
              if name != "synergies" or table == "synergies"}
    tables[table] = with_cell(tables[table], field, value, data_row)
    return folder(tmp_path, **tables)


BOUNDED = [(table, field, limit) for table, limits in FIELD_LENGTHS.items()
           for field, limit in limits.items()]


@pytest.mark.parametrize(("table", "field", "limit"), BOUNDED,
                         ids=[f"{t}.{f}" for t, f, _ in BOUNDED])
def test_a_cell_one_character_too_long_is_refused_where_it_is(
        tmp_path: Path, table: str, field: str, limit: int) -> None:
    value = "é" * limit + "x"  # characters, not bytes, are counted
    _, result, _ = triaged_checks(bundle(tmp_path / "long", table, field, value))
    long = [p for p in result.problems if p.message == TOO_LONG]
    assert len(long) == 1, result.problems
    problem = long[0]
    assert (problem.where, problem.row, problem.column) == (f"{table}.csv", 2, field)
    assert problem.params == {"length": str(limit + 1), "limit": str(limit)}
    assert problem.value == "é" * SHOWN_CHARS + "…"

    _, at_limit, _ = triaged_checks(bundle(tmp_path / "fits", table, field, "é" * limit))
    assert not [p for p in at_limit.problems if p.message == TOO_LONG]


def test_a_label_of_501_characters_is_said_the_same_column_wise_and_row_by_row(
        tmp_path: Path) -> None:
    found, full, told = triaged_checks(bundle(tmp_path, "resources", "label", "L" * 501, 1))
    assert isinstance(found, Triage)
    assert found.trusted["resources"].tolist() == [True, False, True]
    assert told is not None and told.problems == full.problems
    assert [(p.where, p.row, p.column, p.message) for p in full.problems] == [
        ("resources.csv", 3, "label", TOO_LONG)]
    assert full.problem_total == 1


def test_a_label_of_500_characters_is_read_column_wise(tmp_path: Path) -> None:
    found, full, _ = triaged_checks(bundle(tmp_path, "resources", "label", "L" * 500))
    assert isinstance(found, BundleColumns)
    assert found.resources.label[0] == "L" * 500
    assert full.ok


def test_spaces_around_a_cell_do_not_count(tmp_path: Path) -> None:
    padded = "  " + "N" * 255 + "  "
    found, full, _ = triaged_checks(bundle(tmp_path, "actors", "name", padded))
    assert isinstance(found, BundleColumns)
    assert full.ok


def _derived_and_given(tmp_path: Path, *, given_row: int) -> Path:
    """The first line derives its id; the line at `given_row` (a copy of the first with
    another quantity) gives that very id."""
    first = derived_id("a1", "out", "Chaleur fatale des fours")
    lines = RESOURCES.splitlines()
    copy = lines[1].replace(",4200,", ",12,")
    lines.insert(given_row, copy)
    text = with_cell("\n".join(lines) + "\n", "id", first, given_row - 1)
    return folder(tmp_path, actors=ACTORS, resources=text)


def test_a_given_id_that_a_row_above_derived_is_refused_naming_both_rows(
        tmp_path: Path) -> None:
    found, full, told = triaged_checks(_derived_and_given(tmp_path, given_row=4))
    first = derived_id("a1", "out", "Chaleur fatale des fours")
    assert [(p.where, p.row, p.column, p.message, p.params) for p in full.problems] == [
        ("resources.csv", 5, "id", DERIVED_RESOURCE, {"value": first, "first": "2",
                                                      "row": "5"})]
    assert isinstance(found, Triage)
    assert told is not None and told.problems == full.problems


def test_a_given_id_above_the_row_that_would_derive_it_is_kept(tmp_path: Path) -> None:
    """The derivation skips an id taken above, as it always did: no problem."""
    path = _derived_and_given(tmp_path, given_row=1)
    found, full, _ = triaged_checks(path)
    assert full.ok
    assert isinstance(found, BundleColumns)
    first = derived_id("a1", "out", "Chaleur fatale des fours")
    with read_bundle(path, default_year=YEAR) as reader:
        ids = [record.id for record in reader.resources()]
    assert ids[:2] == [first, first + "-2"]
    assert found.resources.ids.tolist()[:2] == ids[:2]


def test_a_given_id_repeated_is_still_said_as_a_repeat(tmp_path: Path) -> None:
    text = with_cell(with_cell(RESOURCES, "id", "r1", 0), "id", "r1", 1)
    _, full, _ = triaged_checks(folder(tmp_path, actors=ACTORS, resources=text))
    assert [p.message for p in full.problems] == [DUPLICATE_RESOURCE]
