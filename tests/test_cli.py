"""The `symbiose` command as a facilitator runs it: a real process, a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cases import case_dirs
from tests.web.bundles import ACTORS, RESOURCES, write_bundle


def run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "SYMBIOSE_DATA_DIR": str(tmp_path / "data"),
        "SYMBIOSE_LANGUAGE": "fr",
    }
    return subprocess.run(
        [sys.executable, "-m", "symbiose", *args], capture_output=True, text=True, env=env,
        timeout=120, check=False,
    )


@pytest.mark.parametrize(
    "command", ["demo", "serve", "import", "export", "match", "receivers", "synth"]
)
def test_every_subcommand_has_help(command: str, tmp_path: Path) -> None:
    result = run([command, "--help"], tmp_path)
    assert result.returncode == 0
    assert "usage: symbiose " + command in result.stdout


def test_import_then_export_round_trip(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "bundle")
    imported = run(["import", str(bundle), "--territory", "Vallée"], tmp_path)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "Import terminé" in imported.stdout
    assert "2 nouveaux" in imported.stdout or "2 nouveau" in imported.stdout

    out = tmp_path / "out"
    exported = run(["export", "Vallée", str(out)], tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert (out / "actors.csv").read_text(encoding="utf-8").count("\n") == 3
    xlsx = tmp_path / "vallee.xlsx"
    assert run(["export", "Vallée", str(xlsx)], tmp_path).returncode == 0
    assert xlsx.stat().st_size > 0
    # LibreOffice's format goes out and comes back in the same.
    ods = tmp_path / "vallee.ods"
    assert run(["export", "Vallée", str(ods)], tmp_path).returncode == 0
    again = run(["import", str(ods), "--territory", "Vallée bis"], tmp_path)
    assert again.returncode == 0 and "2 nouveau" in again.stdout, again.stdout + again.stderr


def test_refused_import_exits_1_with_located_report_and_writes_nothing(tmp_path: Path) -> None:
    bad = write_bundle(tmp_path / "bad", resources=RESOURCES.replace("4200", "beaucoup"))
    result = run(["import", str(bad), "--territory", "Vallée"], tmp_path)
    assert result.returncode == 1
    assert "resources.csv" in result.stdout
    assert "beaucoup" in result.stdout
    assert "rien n'a été modifié" in result.stdout
    missing = run(["export", "Vallée", str(tmp_path / "x")], tmp_path)
    assert missing.returncode == 1
    assert "Vallée" in missing.stderr


def test_an_over_long_label_is_a_located_refusal_not_a_traceback(tmp_path: Path) -> None:
    label = "Sables " + "x" * 494  # 501 characters, one more than the column holds
    bad = write_bundle(tmp_path / "bad", resources=RESOURCES.replace("Sables de fonderie "
                                                                     "usagés", label))
    result = run(["import", str(bad), "--territory", "Vallée"], tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "resources.csv, ligne 3, colonne « label »" in result.stdout
    assert "501 caractères" in result.stdout
    assert run(["export", "Vallée", str(tmp_path / "x")], tmp_path).returncode == 1


def test_a_territory_name_too_long_is_refused_before_the_bundle_is_read(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "ok")
    result = run(["import", str(bundle), "--territory", "V" * 201], tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "200 caractères" in result.stderr
    assert run(["export", "V" * 201, str(tmp_path / "x")], tmp_path).returncode == 1


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "bundle", actors=ACTORS)
    result = run(["import", str(bundle), "--territory", "Essai", "--dry-run"], tmp_path)
    assert result.returncode == 0, result.stdout
    assert "rien n'a été écrit" in result.stdout
    assert run(["export", "Essai", str(tmp_path / "x")], tmp_path).returncode == 1


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_cases_import_from_the_command_line(case: Path, tmp_path: Path) -> None:
    result = run(["import", str(case), "--territory", case.name], tmp_path)
    assert result.returncode == 0, result.stdout


def test_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
           "SYMBIOSE_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "symbiose", "export", "X", str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 1
    assert "cannot open the database" in result.stderr
    assert "Traceback" not in result.stderr


SPEC_COLUMNS = ("type,supplier_id,receiver_id,actor_ids,resource,score,distance_km,quantity,"
                "unit,co2e_avoided_t,eur_saved,explanation")


def test_synth_then_match_writes_the_spec_columns_best_first(tmp_path: Path) -> None:
    import csv

    bundle = tmp_path / "synth"
    made = run(["synth", "--actors", "40", "--seed", "5", str(bundle)], tmp_path)
    assert made.returncode == 0, made.stderr
    assert run(["import", str(bundle), "--territory", "Synth", "--dry-run"],
               tmp_path).returncode == 0  # what synth writes is a valid bundle
    out = tmp_path / "synergies.csv"
    matched = run(["match", str(bundle), "--out", str(out), "--top", "2"], tmp_path)
    assert matched.returncode == 0, matched.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == SPEC_COLUMNS
    rows = list(csv.DictReader(lines))
    assert rows, "a synthetic territory of 40 actors has synergies"
    scores = [float(row["score"]) for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert all(row["explanation"] for row in rows)


def test_match_refuses_a_bad_bundle_with_located_problems(tmp_path: Path) -> None:
    bad = write_bundle(tmp_path / "bad", resources=RESOURCES.replace("4200", "-4200"))
    result = run(["match", str(bad), "--out", str(tmp_path / "s.csv")], tmp_path)
    assert result.returncode == 1
    assert "resources.csv" in result.stdout and "-4200" in result.stdout
    assert not (tmp_path / "s.csv").exists()


def test_match_lists_the_first_thousand_problems_and_counts_the_rest(tmp_path: Path) -> None:
    # 3,000 lines, one in two with a negative quantity: the columnar triage hands the row
    # check the bad lines only, and what is said is the same as a full row check says.
    lines = [f"a1,out,Chutes {i},material,,{'-' if i % 2 else ''}{i + 1},t,,,"
             for i in range(3000)]
    bad = write_bundle(tmp_path / "bad", resources=RESOURCES + "\n".join(lines) + "\n")
    result = run(["match", str(bad), "--out", str(tmp_path / "s.csv")], tmp_path)
    assert result.returncode == 1
    said = result.stdout.splitlines()
    assert len(said) == 1001 and said[-1] == "… et 500 autre(s) problème(s)."
    # The first bad line is the bundle's 5th data row (3 above it), file row 6.
    assert "resources.csv" in said[0] and "6" in said[0] and "-2" in said[0]
    assert "-2000" in said[-2]  # the thousandth bad line: Chutes 1999
    assert not (tmp_path / "s.csv").exists()


def test_receivers_prints_sectors_best_first(tmp_path: Path) -> None:
    result = run(["receivers", "--ewc", "10 01 05", "--label", "gypse de désulfuration",
                  "--top", "3"], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "nace_division,score,explanation"
    assert 1 <= len(lines) - 1 <= 3
    assert lines[1].startswith("23,")  # gypsum goes to plaster and cement makers


def test_receivers_reads_the_output_as_the_provider_s_trade_means_it(tmp_path: Path) -> None:
    # A paper mill's sludge is biological; a machine shop's is mineral (grinding, blasting).
    mill = run(["receivers", "--label", "Boues", "--from-naf", "17.12Z", "--top", "1"],
               tmp_path)
    shop = run(["receivers", "--label", "Boues", "--from-naf", "25.62A", "--top", "1"],
               tmp_path)
    assert mill.returncode == shop.returncode == 0, mill.stderr + shop.stderr

    def taken(output: str) -> str:  # the class the first sector "typically takes"
        return output.splitlines()[1].split("typically takes ")[1].split(":")[0]

    assert taken(mill.stdout) == "sewage sludge"
    assert taken(shop.stdout) != "sewage sludge"


def test_receivers_says_an_unknown_activity_code(tmp_path: Path) -> None:
    result = run(["receivers", "--label", "Fibres", "--from-naf", "99.99Z"], tmp_path)
    assert result.returncode == 1
    assert "99.99Z" in result.stderr and "Traceback" not in result.stderr


def test_import_reads_within_limits_the_user_may_raise(tmp_path: Path) -> None:
    rows = "".join(f"a1,out,Palettes lot {i},material,,{i},t,,,\n" for i in range(30))
    bundle = write_bundle(tmp_path / "long", resources=RESOURCES + rows)
    refused = run(["import", str(bundle), "--territory", "Vallée", "--max-rows", "20"],
                  tmp_path)
    assert refused.returncode == 1
    assert "resources.csv, ligne 21" in refused.stdout
    assert "symbiose import --max-rows" in refused.stdout
    raised = run(["import", str(bundle), "--territory", "Vallée", "--max-rows", "100"],
                 tmp_path)
    assert raised.returncode == 0, raised.stdout + raised.stderr


def test_report_names_the_territories_when_it_does_not_know_one(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "bundle")
    assert run(["import", str(bundle), "--territory", "Vallée"], tmp_path).returncode == 0
    unknown = run(["report", "Nulle part", "--year", "2026", "--out",
                   str(tmp_path / "r.pdf")], tmp_path)
    assert unknown.returncode == 1 and "Vallée" in unknown.stderr
    assert not (tmp_path / "r.pdf").exists()
    wrong = run(["report", "Vallée", "--year", "2026", "--out", str(tmp_path / "r.doc")],
                tmp_path)
    assert wrong.returncode == 2 and "r.doc" in wrong.stderr
    done = run(["report", "Vallée", "--year", "2026", "--out", str(tmp_path / "r.xlsx")],
               tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"


def test_match_pauses_the_collector_only_while_it_runs(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # In the caller's process (a notebook, a test, a job runner), the command must leave the
    # cyclic collector as it found it, whether it succeeds or fails.
    import gc

    from symbiose import cli
    from symbiose.core.matching import cells

    monkeypatch.setenv("SYMBIOSE_LANGUAGE", "fr")
    bundle = write_bundle(tmp_path / "bundle")
    seen: list[bool] = []
    real = cells.propose_cells

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(cells, "propose_cells", watched)
    assert cli.main(["match", str(bundle), "--out", str(tmp_path / "s.csv")]) == 0
    assert seen == [False] and gc.isenabled()

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise MemoryError

    monkeypatch.setattr(cells, "propose_cells", failing)
    with pytest.raises(MemoryError):
        cli.main(["match", str(bundle), "--out", str(tmp_path / "t.csv")])
    assert gc.isenabled()
