"""Hostile bundles: small files that expand into more than an import should read.

Each case is the shape of a file an attack pass used against the instance (a zip of
millions of repeated rows, a zip of blank lines, a sparse sheet with a cell in column XFD,
a header of 100,000 columns, one endless line), scaled down with small limits so the test
stays quick: the reader refuses at the limit with a located problem, having read no more.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from symbiose.core.bundle import CheckResult, read_bundle
from symbiose.core.bundle.limits import COMMAND_LIMITS, MIB, UPLOAD_LIMITS, ReadLimits
from tests.core.bundle.build import ACTORS, RESOURCES, folder, only, text

SMALL = ReadLimits(max_rows=1000, max_columns=50, max_bytes=MIB, max_line_chars=4096)


def check(path: Path, limits: ReadLimits = SMALL) -> CheckResult:
    with read_bundle(path, default_year=2026, limits=limits) as reader:
        return reader.check()


def zipped(tmp_path: Path, **members: str) -> Path:
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(f"{name}.csv", content)
    return path


def test_a_zip_of_repeated_rows_stops_at_the_row_limit(tmp_path: Path) -> None:
    row = "a1,out,Palettes bois,material,,12,t,,,\n"
    bundle = zipped(tmp_path, actors=ACTORS, resources=RESOURCES + row * 20_000)
    assert bundle.stat().st_size < 10_000  # the attack's point: tiny once compressed
    problem = only(check(bundle))
    assert problem.where == "resources.csv" and problem.row == 1001
    assert "past row 1000" in text(problem)


def test_a_zip_of_blank_lines_counts_them_as_rows(tmp_path: Path) -> None:
    bundle = zipped(tmp_path, actors=ACTORS, resources=RESOURCES + "\n" * 100_000)
    problem = only(check(bundle))
    assert (problem.where, problem.row) == ("resources.csv", 1001)


def test_a_long_run_of_blank_rows_stops_the_read_where_it_starts(tmp_path: Path) -> None:
    """Even when the row limit is far: millions of blank lines are a damaged file."""
    limits = ReadLimits(max_rows=10**9, max_blank_run=500)
    bundle = zipped(tmp_path, actors=ACTORS,
                    resources=RESOURCES + "\n" * 300 + "a1,out,Palettes,material,,1,t,,,\n"
                    + "\n" * 100_000 + "a1,out,Cartons,material,,1,t,,,\n")
    problem = only(check(bundle, limits))
    assert (problem.where, problem.row) == ("resources.csv", 306)
    assert text(problem).startswith("501 blank rows in a row from row 306")


def test_a_declared_size_beyond_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    bundle = zipped(tmp_path, actors=ACTORS, resources=RESOURCES + "x" * (2 * MIB))
    result = check(bundle, ReadLimits(max_rows=10**9, max_bytes=MIB))
    problem = only(result)
    assert problem.where == "resources.csv" and problem.row is None
    assert "holds 2 MB once uncompressed, more than the 1 MB" in text(problem)


def test_a_folder_file_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    bundle = folder(tmp_path, actors=ACTORS, resources=RESOURCES + "#" * (2 * MIB))
    assert "more than the 1 MB" in text(only(check(bundle)))


def test_an_endless_line_is_refused_without_holding_it(tmp_path: Path) -> None:
    bundle = folder(tmp_path, actors=ACTORS,
                    resources=RESOURCES + "a1,out," + "x" * 100_000 + "\n")
    problem = only(check(bundle))
    assert (problem.where, problem.row) == ("resources.csv", 5)
    assert "longer than 4096 characters" in text(problem)


def test_a_cell_beyond_the_csv_field_limit_is_said_in_words(tmp_path: Path) -> None:
    cell = '"' + "y" * 200_000 + '"'
    bundle = folder(tmp_path, actors=ACTORS, resources=RESOURCES + f"a1,out,{cell}\n")
    problem = only(check(bundle, ReadLimits(max_rows=1000, max_line_chars=MIB)))
    assert "holds more than 131072 characters" in text(problem)
    assert "field larger" not in text(problem)


def test_a_header_wider_than_the_limit_is_one_problem(tmp_path: Path) -> None:
    header = "actor_id,direction,label," + ",".join(f"c{i}" for i in range(100_000))
    bundle = folder(tmp_path, actors=ACTORS,
                    resources=header + "\na1,out,Palettes\n")
    result = check(bundle, ReadLimits(max_rows=1000, max_line_chars=4 * MIB))
    problem = only(result)
    assert (problem.where, problem.row) == ("resources.csv", 1)
    assert "more than 500 columns" in text(problem)
    assert len(result.notices) <= 3


def test_many_ignored_columns_are_one_notice(tmp_path: Path) -> None:
    header = "actor_id,direction,label," + ",".join(f"extra{i}" for i in range(40))
    bundle = folder(tmp_path, actors=ACTORS, resources=header + "\na1,out,Palettes\n")
    result = check(bundle)
    assert result.ok
    ignored = [n for n in result.notices if n.where == "resources.csv"
               and "ignored" in n.message]
    assert len(ignored) == 1
    said = ignored[0].message % ignored[0].params
    assert said.startswith("40 columns ignored") and "“extra0”" in said and said.endswith("…")


def test_a_sparse_sheet_reads_only_the_header_width(tmp_path: Path) -> None:
    """A value in column XFD on every row: openpyxl would build 16,384 cells a row."""
    book = Workbook()
    actors = book.active
    actors.title = "actors"
    for line in ACTORS.splitlines():
        actors.append(line.split(","))
    resources = book.create_sheet("resources")
    resources.append(["actor_id", "direction", "label", "quantity", "unit"])
    for i in range(300):
        resources.append(["a1", "out", f"Palettes {i}", 12, "t"])
        resources.cell(row=i + 2, column=16384, value="far away")
    path = tmp_path / "sparse.xlsx"
    book.save(path)
    with read_bundle(path, default_year=2026, limits=SMALL) as reader:
        assert reader.check().ok
        widths = {len(cells) for _, cells, _ in reader._source.tables["resources"].rows(5)}
    assert widths == {5}


def test_a_sheet_past_the_row_limit_is_refused(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "actors"
    sheet.append(["id", "name"])
    sheet.append(["a1", "Fonderie"])
    sheet.cell(row=5000, column=1, value="a2")
    path = tmp_path / "long.xlsx"
    book.save(path)
    problem = only(check(path))
    assert (problem.where, problem.row) == ("actors", 1001)


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ReadLimits(max_rows=0)


@pytest.mark.parametrize("limits", [UPLOAD_LIMITS, COMMAND_LIMITS])
def test_default_limits_read_an_ordinary_bundle(tmp_path: Path, limits: ReadLimits) -> None:
    assert check(folder(tmp_path, actors=ACTORS, resources=RESOURCES), limits).ok
    assert UPLOAD_LIMITS.max_rows < COMMAND_LIMITS.max_rows
