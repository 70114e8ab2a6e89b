"""Opening bundles: folders, .zip, what is not a bundle, empty tables, file names."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from symbiose.core.bundle import read_bundle
from tests.core.bundle.build import ACTORS, RESOURCES, check, folder, only, text


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("rapport.pdf", b"%PDF-1.4\n", "not a bundle"),
    ("territoire.xls", b"\xd0\xcf\x11\xe0", "save it as .xlsx"),
    ("territoire.ods", b"PK\x03\x04", "not a readable OpenDocument spreadsheet"),
    ("territoire.sxc", b"PK\x03\x04", "save it as .ods or .xlsx"),
    ("actors.csv", ACTORS.encode(), "single CSV file"),
])
def test_a_file_that_is_not_a_bundle_says_what_to_do(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    problem = only(check(path))
    assert problem.where == name
    assert expected in text(problem)


def test_a_missing_path(tmp_path: Path) -> None:
    problem = only(check(tmp_path / "nowhere"))
    assert "no file or folder" in text(problem)


def test_a_broken_workbook(tmp_path: Path) -> None:
    path = tmp_path / "territoire.xlsx"
    path.write_bytes(b"this is not a zip")
    assert "not a readable .xlsx" in text(only(check(path)))


def test_a_broken_zip(tmp_path: Path) -> None:
    path = tmp_path / "territoire.zip"
    path.write_bytes(b"PK but not really")
    assert "not a readable .zip" in text(only(check(path)))


def test_records_of_an_unreadable_bundle_are_empty(tmp_path: Path) -> None:
    with read_bundle(tmp_path / "nowhere", default_year=2026) as reader:
        assert not reader.check().ok
        assert list(reader.actors()) == []
        assert list(reader.resources()) == []


def test_empty_file(tmp_path: Path) -> None:
    problem = only(check(folder(tmp_path, actors=ACTORS, resources="")))
    assert (problem.where, text(problem)) == ("resources.csv", "the file is empty")


def test_file_with_only_blank_lines_is_empty(tmp_path: Path) -> None:
    problem = only(check(folder(tmp_path, actors=ACTORS, resources="\n\n ,, \n")))
    assert text(problem) == "the file is empty"


def test_header_only(tmp_path: Path) -> None:
    problem = only(check(folder(tmp_path, actors=ACTORS,
                                resources="actor_id,direction,label\n")))
    assert (problem.where, problem.row) == ("resources.csv", 1)
    assert "no rows under the header" in text(problem)


def test_a_folder_without_any_table(tmp_path: Path) -> None:
    problem = only(check(folder(tmp_path, **{"notes.txt": "hello", "README.md": "# x"})))
    assert "no actors or resources table" in text(problem)
    assert "README.md" in text(problem)


def test_other_files_are_ignored_with_a_notice(tmp_path: Path) -> None:
    bundle = folder(tmp_path, actors=ACTORS, resources=RESOURCES,
                    expected="type,supplier_id\n", **{"README.md": "# case"})
    result = check(bundle)
    assert result.ok
    ignored = {n.where for n in result.notices if "ignored" in n.message}
    assert ignored == {"expected.csv", "README.md"}


def test_file_names_match_case_insensitively_and_in_french(tmp_path: Path) -> None:
    bundle = folder(tmp_path, **{"Acteurs.CSV": ACTORS, "RESSOURCES.csv": RESOURCES})
    result = check(bundle)
    assert result.ok, [text(p) for p in result.problems]
    assert result.counts["resources"] == 3


def test_two_files_for_one_table(tmp_path: Path) -> None:
    bundle = folder(tmp_path, actors=ACTORS, acteurs=ACTORS)
    assert "two files for the actors table" in text(only(check(bundle)))


def test_a_zip_of_csv_files(tmp_path: Path) -> None:
    path = tmp_path / "territoire.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("export/actors.csv", ACTORS)
        archive.writestr("export/resources.csv", RESOURCES)
        archive.writestr("__MACOSX/export/._actors.csv", b"\x00\x05junk")
    with read_bundle(path, default_year=2026) as reader:
        result = reader.check()
        assert result.ok, [text(p) for p in result.problems]
        assert [a.id for a in reader.actors()] == ["a1", "a2"]
        assert len(list(reader.resources())) == 3


def test_a_zip_of_many_stray_files_names_twenty_and_counts_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "territoire.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("actors.csv", ACTORS)
        for n in range(500):
            archive.writestr(f"photos/img{n:04d}.jpg", b"")
    result = check(path)
    assert result.ok
    assert len(result.notices) < 30
    more = [n for n in result.notices if "more files ignored" in n.message]
    assert [n.params["count"] for n in more] == ["480"]


def test_two_files_for_one_table_in_a_zip_are_told_apart_by_their_path(
        tmp_path: Path) -> None:
    path = tmp_path / "territoire.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("actors.csv", ACTORS)
        archive.writestr("a/actors.csv", ACTORS)
    message = text(only(check(path)))
    assert "“a/actors.csv”" in message and "“actors.csv”" in message


def test_decoding_error_deep_in_a_file_is_a_located_problem(tmp_path: Path) -> None:
    head = "actor_id,direction,label\n" + "a1,out,Palettes bois\n" * 60_000
    content = head.encode() + "a1,out,Cartons usagés\n".encode("cp1252") * 3
    result = check(folder(tmp_path, actors=ACTORS, resources=content))
    problem = only(result)
    assert problem.where == "resources.csv"
    assert problem.row is not None and 59_000 < problem.row <= 60_002
    assert "UTF-8" in text(problem)
