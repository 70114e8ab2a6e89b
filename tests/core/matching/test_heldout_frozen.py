"""The held-out evaluation cases are frozen, and every evaluation case reads cleanly.

(a) Each held-out set (`tests/data/heldout`, `tests/data/heldout2` written before the
second round of tuning, `tests/data/heldout3` written while the third round was tuning on
the development set, and `tests/data/heldout4` written after the sixth) has a
`MANIFEST.sha256` listing the sha256 of every file inside its case folders; any edit,
addition or removal fails here. (b) Each held-out and
development case is read with the project's reader, as `benchmarks/match_cases.py` does:
the bundle has no problems and every id of `expected.csv` is an actor of the case.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from symbiose.core.bundle import read_bundle

REPO = Path(__file__).resolve().parents[3]
HELDOUT = REPO / "tests" / "data" / "heldout"
HELDOUT2 = REPO / "tests" / "data" / "heldout2"
HELDOUT3 = REPO / "tests" / "data" / "heldout3"
HELDOUT4 = REPO / "tests" / "data" / "heldout4"
HELDOUT5 = REPO / "tests" / "data" / "heldout5"
HELDOUT_SETS = [HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4, HELDOUT5]
DEV = REPO / "benchmarks" / "data" / "dev_cases"


def case_dirs(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir())


def current_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for case in case_dirs(root)
        for path in sorted(case.rglob("*"))
        if path.is_file()
    }


def manifest_lines(root: Path) -> list[str]:
    return [line for line in (root / "MANIFEST.sha256").read_text("utf-8").splitlines() if line]


def manifest_hashes(root: Path) -> dict[str, str]:
    rows = (line.split(maxsplit=1) for line in manifest_lines(root))
    return {name.strip(): digest for digest, name in rows}


@pytest.mark.parametrize("root", HELDOUT_SETS, ids=lambda p: p.name)
def test_heldout_cases_are_unchanged(root: Path) -> None:
    expected, actual = manifest_hashes(root), current_hashes(root)
    changed = sorted(n for n in expected.keys() & actual.keys() if expected[n] != actual[n])
    added = sorted(actual.keys() - expected.keys())
    removed = sorted(expected.keys() - actual.keys())
    assert not (changed or added or removed), (
        "held-out evaluation files differ from MANIFEST.sha256 "
        f"(edited: {changed}, added: {added}, removed: {removed}). A held-out case edited "
        "after seeing its result is no longer held out: restore it, and put new or "
        "corrected data in a new case (or in benchmarks/data/dev_cases)."
    )


@pytest.mark.parametrize("root", HELDOUT_SETS, ids=lambda p: p.name)
def test_manifest_is_sorted_and_complete(root: Path) -> None:
    names = [line.split(maxsplit=1)[1] for line in manifest_lines(root)]
    assert names == sorted(names)
    assert len(case_dirs(root)) >= 8


@pytest.mark.parametrize("later", [HELDOUT2, HELDOUT3, HELDOUT4, HELDOUT5], ids=lambda p: p.name)
def test_later_heldout_set_shares_no_case_with_the_others(later: Path) -> None:
    """Each later set was written from networks absent from every other set."""
    shared = REPO.parent / "shared" / "cases"
    others = {p.name for root in [*HELDOUT_SETS, DEV] if root != later for p in case_dirs(root)}
    if shared.is_dir():
        others |= {p.name for p in case_dirs(shared)}
    assert not others & {p.name for p in case_dirs(later)}


@pytest.mark.parametrize(
    "case",
    case_dirs(HELDOUT) + case_dirs(HELDOUT2) + case_dirs(HELDOUT3) + case_dirs(HELDOUT4)
    + case_dirs(HELDOUT5)
    + case_dirs(DEV),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_case_reads_cleanly(case: Path) -> None:
    with read_bundle(case, default_year=2024) as reader:
        result = reader.check()
        assert result.ok, result.problems[:5]
        ids = {actor.id for actor in reader.actors()}
        assert list(reader.resources())
    with (case / "expected.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, "a case needs at least one known synergy"
    for row in rows:
        named = [row["supplier_id"], row["receiver_id"], *row["actor_ids"].split(";")]
        unknown = [i.strip() for i in named if i.strip() and i.strip() not in ids]
        assert not unknown, f"{row['resource']}: unknown actor ids {unknown}"
        assert row["type"] in {"substitution", "pooling", "sharing"}
        assert row["source"].strip(), "every known synergy cites its source"
