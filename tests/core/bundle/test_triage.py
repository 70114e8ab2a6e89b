"""A bundle with bad rows, triaged column-wise, is refused exactly as the row reader
refuses it: the same problems in the same order, the same total, counts and notices.

The import on PostgreSQL checks the cells of a triaged bundle's suspect rows only
(`columnar.read_or_triage`, `BundleReader.check(trusted=...)`); these tests compare that
check with the full one on the tricky cells of the columnar tests, and on a spoilt synthetic
territory.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from symbiose.core.bundle import CheckResult
from symbiose.core.bundle.columnar import BundleColumns, Triage
from tests.core.bundle.build import triaged_checks
from tests.core.matching.test_columnar import (
    YEAR,
    Edits,
    edited_bundle,
    synth_bundle,
    tricky_edits,
)


def _same(told: CheckResult, full: CheckResult) -> None:
    assert told.problems == full.problems
    assert told.problem_total == full.problem_total
    assert told.counts == full.counts
    assert told.notices == full.notices


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tricky_edits(6))  # several bad rows at once
def test_a_triaged_bundle_is_refused_exactly_as_row_by_row(
        tmp_path_factory: pytest.TempPathFactory, edits: Edits) -> None:
    path = edited_bundle(tmp_path_factory.mktemp("triage"), edits)
    found, full, told = triaged_checks(path, YEAR)
    if isinstance(found, BundleColumns):
        assert full.ok
    elif told is not None:
        assert not full.ok
        _same(told, full)


def test_a_spoilt_territory_is_triaged_and_refused_as_before(tmp_path: Path) -> None:
    """Every 10th line spoilt in turn (a negative quantity, an unknown unit, an unknown
    actor, a repeated id), among a few thousand clean ones."""
    path = synth_bundle(tmp_path, 300, 4)
    with (path / "resources.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for number, row in enumerate(rows[1:], start=1):
        if number % 10:
            continue
        spoil = (number // 10) % 4
        if spoil == 0:
            row[header.index("quantity")] = "-3"
        elif spoil == 1:
            row[header.index("unit")] = "tonneaux"
        elif spoil == 2:
            row[header.index("actor_id")] = f"personne{number}"
        elif "id" in header:
            row[header.index("id")] = rows[1][header.index("id")]
    with (path / "resources.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    found, full, told = triaged_checks(path, YEAR)
    assert isinstance(found, Triage)
    assert found.trusted["resources"].sum() > 0.7 * len(rows)
    assert told is not None and full.problem_total >= len(rows) // 20
    _same(told, full)
