"""Time to build the yearly funder report (PDF, xlsx, ods) for the demo territory and for
a synthetic territory of 5,000 actors with 300 kept synergies over 5 years of ledger.

    python benchmarks/report_build.py [--database-url URL] [--actors 5000]
        [--resources 20000] [--kept 300] [--years 5] [--runs 3]

Without --database-url, an SQLite file in a temporary folder. The synthetic territory is
imported through the import service, matched by the engine, its best proposals recorded
and --kept of them kept in implementation or operation; each kept synergy gets, for each
of --years years, a declared tonnage (one in ten verified) and the engine's estimates
through `ledger_estimate`; one company in three agrees to appear in reports.

Prints, per territory and format, the median of --runs builds, and its ratio to a
baseline measured in the same run: building the report's content alone (the queries, the
k-anonymity, the metabolism), without laying it out. The target is under 20 s per file.
It also checks that the key figures of the xlsx equal the ledger's totals (the test suite
asserts it too; here it guards the figures being timed).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

TERRITORY = "Bench report"
TARGET_S = 20.0


def _setup(url: str, data_dir: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "symbiose.web.settings"
    os.environ.setdefault("SYMBIOSE_DATA_DIR", str(data_dir))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _step(message: str) -> Callable[[], None]:
    started = time.perf_counter()
    print(f"  {message}…", end="", flush=True)
    return lambda: print(f" {time.perf_counter() - started:.1f} s", flush=True)


def _build(args: argparse.Namespace) -> Any:
    from django.db import transaction

    from symbiose.core.bundle import write_bundle
    from symbiose.core.matching.engine import match
    from symbiose.core.synth import synth_territory
    from symbiose.web.ledger import services
    from symbiose.web.ledger.models import LedgerEntry, ReportConsent, Status
    from symbiose.web.synergies.models import Proposal
    from symbiose.web.synergies.services import proposals_sync_from_bundle
    from symbiose.web.territory.models import Actor, Territory
    from symbiose.web.transfer.importing import bundle_import

    print(f"building “{TERRITORY}”: {args.actors} actors, {args.kept} kept synergies, "
          f"{args.years} years")
    done = _step("synthesising and importing the bundle")
    actors, resources = synth_territory(args.actors, seed=7, resources=args.resources)
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "bundle"
        write_bundle(bundle, actors=actors, resources=resources)
        outcome = bundle_import(territory_name=TERRITORY, path=bundle, default_year=2024)
    if not outcome.applied:
        raise SystemExit(f"the synthetic bundle was refused: {outcome.check.problems[:3]}")
    territory = Territory.objects.get(name=TERRITORY)
    done()
    done = _step("matching and keeping synergies")
    records = match(actors, resources, language="fr")
    with transaction.atomic():
        proposals_sync_from_bundle(territory=territory, records=records[:args.kept * 2])
    kept = list(Proposal.objects.filter(territory=territory).order_by("-score", "pk")
                [:args.kept])
    for n, proposal in enumerate(kept):
        proposal.decision = Proposal.Decision.KEPT
        proposal.stage = (Proposal.Stage.OPERATIONAL if n % 3 else
                          Proposal.Stage.IMPLEMENTATION)
        proposal.owner = f"Pilote {n}"
    Proposal.objects.bulk_update(kept, ["decision", "stage", "owner"])
    ReportConsent.objects.bulk_create(
        ReportConsent(actor_id=pk) for pk in Actor.objects.filter(
            territory=territory).values_list("pk", flat=True)[::3])
    done()
    done = _step("writing the ledger")
    first = 2026 - args.years + 1
    rows = []
    for n, proposal in enumerate(kept):
        for year in range(first, first + args.years):
            rows.append(LedgerEntry(
                territory=territory, synergy=proposal, year=year, metric="tonnes",
                value=Decimal(10 + (n * 7 + year) % 90), unit="t", status=Status.DECLARED,
                declared_by_id=proposal.supplier_id))
            if n % 10 == 0:
                rows.append(LedgerEntry(
                    territory=territory, synergy=proposal, year=year, metric="tonnes",
                    value=Decimal(10 + (n * 7 + year) % 90), unit="t",
                    status=Status.VERIFIED, verifier="Cabinet", evidence="Bons de pesée"))
    LedgerEntry.objects.bulk_create(rows)
    for year in range(first, first + args.years):
        services.ledger_estimate(territory=territory, year=year, by=None)
    done()
    print(f"  {LedgerEntry.objects.filter(territory=territory).count()} ledger entries")
    return territory


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _check(territory: Any, year: int) -> None:
    import pandas as pd

    from symbiose.web.ledger.report.build import report_file
    from symbiose.web.ledger.selectors import yearly_totals

    data = report_file(territory=territory, year=year, fmt="xlsx", by=None)
    key = pd.read_excel(io.BytesIO(data), sheet_name=0)
    ledger = yearly_totals(territory=territory).get(year, {})
    if "tonnes" in ledger and abs(key.iloc[0, 2] - ledger["tonnes"].value) > 1e-6:
        raise SystemExit(f"the report's tonnes {key.iloc[0, 2]} differ from the ledger's "
                         f"{ledger['tonnes'].value}")


def _measure(territory: Any, year: int, runs: int) -> None:
    from symbiose.web.ledger.report.build import report_file
    from symbiose.web.ledger.report.content import report_build

    _check(territory, year)
    base = _median(lambda: report_build(territory=territory, year=year, by=None), runs)
    print(f"{territory.name} ({territory.actors.count()} actors), year {year}")
    print(f"  {'content only (baseline)':<26} {base:6.2f} s")
    for fmt in ("pdf", "xlsx", "ods"):
        def build(fmt: str = fmt) -> bytes:
            return report_file(territory=territory, year=year, fmt=fmt, by=None)

        median = _median(build, runs)
        flag = "" if median < TARGET_S else f"  OVER {TARGET_S:.0f} s"
        print(f"  {fmt:<26} {median:6.2f} s  × {median / base:4.1f} base  "
              f"{len(build()) / 1024:7.0f} KiB{flag}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--resources", type=int, default=20000)
    parser.add_argument("--kept", type=int, default=300)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        _setup(url, Path(tmp))
        from symbiose.web.demo import demo_prepare

        done = _step("preparing the demo territory")
        demo, _ = demo_prepare()
        done()
        from symbiose.web.territory.models import Territory

        big = Territory.objects.filter(name=TERRITORY).first() or _build(args)
        _measure(demo, 2026, args.runs)
        _measure(big, 2026, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
