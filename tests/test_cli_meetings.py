"""`symbiose meetings schedule` as a facilitator runs it: files in, an agenda out."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(args: list[str], tmp_path: Path, language: str = "fr"
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SYMBIOSE_LANGUAGE": language,
           "SYMBIOSE_DATA_DIR": str(tmp_path / "data"),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    return subprocess.run([sys.executable, "-m", "symbiose", "meetings", "schedule", *args],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def agenda_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_a_french_excel_file_gives_a_sorted_agenda_with_locked_meetings(tmp_path: Path) -> None:
    requests = write(tmp_path / "demandes.csv",
                     "a;b;priorité\r\nBéton Sud;Verrerie;1\r\nACME;Verrerie;2\r\n"
                     "ACME;Béton Sud;1\r\n", encoding="cp1252")
    locked = write(tmp_path / "locked.csv", "a,b,slot,table\nBéton Sud,Verrerie,2,3\n")
    unavailable = write(tmp_path / "absences.csv", "participant,créneau\nACME,1\n")
    out = tmp_path / "agenda.csv"
    result = run([str(requests), "--slots", "4", "--tables", "3", "--locked", str(locked),
                  "--unavailable", str(unavailable), "--out", str(out)], tmp_path)
    assert result.returncode == 0, result.stderr
    rows = agenda_rows(out)
    assert {"slot": "2", "table": "3", "a": "Béton Sud", "b": "Verrerie"} in rows
    assert len(rows) == 3
    assert [(int(r["slot"]), int(r["table"])) for r in rows] == sorted(
        (int(r["slot"]), int(r["table"])) for r in rows)
    assert all(not (r["slot"] == "1" and "ACME" in (r["a"], r["b"])) for r in rows)
    assert "3 rendez-vous écrits" in result.stdout


def test_requests_left_out_are_listed_with_their_reason(tmp_path: Path) -> None:
    requests = write(tmp_path / "r.csv", "a,b,priority\nhub,x,1\nhub,y,5\n")
    out = tmp_path / "agenda.csv"
    result = run([str(requests), "--slots", "1", "--tables", "4", "--out", str(out)],
                 tmp_path, language="en")
    assert result.returncode == 0, result.stderr
    assert agenda_rows(out) == [{"slot": "1", "table": "1", "a": "hub", "b": "y"}]
    assert "Not placed: hub with x. One of the two is already fully booked" in result.stderr


def test_every_problem_is_located_by_file_row_column_and_value(tmp_path: Path) -> None:
    requests = write(tmp_path / "r.csv", "a,b,priority\nx,y,deux\nx,,1\nx,x,1\ny,x,1\n")
    unavailable = write(tmp_path / "u.csv", "participant,slot\nx,9\nz,un\n")
    locked = write(tmp_path / "l.csv", "a,b,slot\nx,y,1\n")
    out = tmp_path / "agenda.csv"
    result = run([str(requests), "--slots", "2", "--tables", "0", "--unavailable",
                  str(unavailable), "--locked", str(locked), "--out", str(out)],
                 tmp_path, language="en")
    assert result.returncode == 1
    assert not out.exists()
    lines = result.stderr.splitlines()
    for expected in [
        "--tables: the number of tables must be at least 1, not 0",
        "r.csv, row 2, column “priority” (value “deux”): “deux” is not a whole number",
        "r.csv, row 3, column “b”: a value is required here",
        "r.csv, row 4, column “b” (value “x”): “x” cannot meet themselves",
        "r.csv, row 5, column “b” (value “x”): the same pair as request 2",
        "l.csv, row 1: missing column “table” (accepted headers: table)",
        "u.csv, row 2, column “slot” (value “9”): slot 9 is outside the grid (slots 1 to 2)",
        "u.csv, row 3, column “slot” (value “un”): “un” is not a whole number",
        "No agenda written: 8 problem(s) found.",
    ]:
        assert expected in lines


def test_locked_conflicts_are_located_in_their_file(tmp_path: Path) -> None:
    requests = write(tmp_path / "r.csv", "a,b\nx,y\n")
    locked = write(tmp_path / "l.csv", "a,b,slot,table\nx,y,1,1\nz,w,1,1\n")
    result = run([str(requests), "--slots", "2", "--tables", "2", "--locked", str(locked),
                  "--out", str(tmp_path / "a.csv")], tmp_path)
    assert result.returncode == 1
    assert ("l.csv, ligne 3, colonne « table » (valeur « 1 ») : la table 1 est déjà prise par "
            "le rendez-vous verrouillé 2 au créneau 1") in result.stderr


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_missing_file_is_said(tmp_path: Path, language: str) -> None:
    result = run([str(tmp_path / "absent.csv"), "--slots", "2", "--tables", "1",
                  "--out", str(tmp_path / "a.csv")], tmp_path, language)
    assert result.returncode == 1
    assert "absent.csv" in result.stderr
    assert ("aucun fichier" if language == "fr" else "no file or folder") in result.stderr


def test_the_command_has_help(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path, language="en")
    assert result.returncode == 0
    assert "usage: symbiose meetings schedule" in result.stdout
