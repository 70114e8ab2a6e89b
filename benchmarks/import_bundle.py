"""Import time and peak memory for a territory bundle of 100,000 resources.

    python benchmarks/import_bundle.py [--resources 100000] [--runs 3] [--database-url URL]
        [--bad-share 0.1]

Each run imports a freshly generated bundle into an empty database in a child process
(so peak memory is that import's alone) and reports wall time and peak resident memory.
The baseline, run in the same child, is a plain `csv` read of the same files: the ratio
says what validation and writing cost on top of reading. On PostgreSQL the baseline is
the floor of any import instead: a plain `COPY` of the same CSV files into tables
without index, key or constraint, in one transaction rolled back. The CPU time of the
database server's process for the connection is printed too (a loaded machine stretches
wall times; CPU says what the work itself cost). Target (issue 2): < 30 s and < 1 GiB
for 100,000 resources; on PostgreSQL (lines written with COPY, issue 15): < 60 s and
< 1 GiB for 1,000,000.

`--bad-share 0.1` spoils that share of the resource rows (a negative quantity, an
unknown unit, an unknown actor, in turn): the run then measures the refusal, which must
list the first 1,000 problems, count the rest, write nothing, and take about the time
of a clean check.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LABELS = [
    ("out", "material", "15 01 03", "Palettes bois en fin de vie", "t"),
    ("out", "material", "15 01 01", "Cartons d'emballage", "t"),
    ("out", "material", "15 01 02", "Film étirable usagé", "t"),
    ("out", "material", "20 01 08", "Biodéchets de cuisine", "t"),
    ("out", "energy", "", "Chaleur fatale des fours", "MWh"),
    ("out", "material", "12 01 01", "Chutes d'acier", "t"),
    ("in", "energy", "", "Chaleur pour process", "MWh"),
    ("in", "material", "", "Palettes pour expédition", "unit"),
    ("in", "service", "", "Collecte des DEEE", ""),
    ("in", "water", "", "Eau de process", "m3"),
]
NAF = ["10.71A", "16.10A", "20.14Z", "22.29A", "25.11Z", "38.11Z", "49.41A", "52.10B"]


def generate(folder: Path, n_resources: int, seed: int = 7, bad_share: float = 0.0) -> None:
    rng = random.Random(seed)
    bad_every = round(1 / bad_share) if bad_share else 0
    n_actors = max(1, n_resources // 10)
    with (folder / "actors.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "naf", "kind", "lat", "lon", "commune", "zone", "employees"])
        for i in range(n_actors):
            w.writerow([f"a{i}", f"Entreprise {i}", rng.choice(NAF), "company",
                        f"{45 + rng.random() * 4:.5f}", f"{1 + rng.random() * 5:.5f}",
                        f"Commune {i % 300}", f"ZA {i % 40}", rng.randint(1, 500)])
    with (folder / "resources.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["actor_id", "direction", "label", "kind", "ewc", "quantity", "unit",
                    "period", "cost_eur", "confidentiality"])
        for i in range(n_resources):
            direction, kind, ewc, label, unit = rng.choice(LABELS)
            row = [f"a{i % n_actors}", direction, f"{label} n°{i}", kind, ewc,
                   f"{rng.random() * 1000:.2f}" if unit else "", unit, "",
                   rng.choice(["", "1200", "350.5"]), ""]
            if bad_every and i % bad_every == bad_every - 1:
                spoilt = (i // bad_every) % 3
                if spoilt == 0:
                    row[5] = f"-{row[5] or 1}"
                elif spoilt == 1:
                    row[6] = "tonnes-ish"
                else:
                    row[0] = f"nobody{i}"
            w.writerow(row)


def worker(bundle: Path, *, refused: bool) -> None:
    """One measured import into the empty database named by DATABASE_URL."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symbiose.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    from symbiose.web.transfer.importing import bundle_import

    server = _server_process()
    start = time.perf_counter()
    if connection.vendor == "postgresql":
        _plain_copy(bundle)
    else:
        for name in ("actors.csv", "resources.csv"):
            with (bundle / name).open(encoding="utf-8", newline="") as f:
                sum(1 for _ in csv.reader(f))
    baseline = time.perf_counter() - start

    server_before = _cpu_of(server)
    start = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    outcome = bundle_import(territory_name="Bench", path=bundle, default_year=2026)
    elapsed = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mib = usage.ru_maxrss / 1024
    # CPU time of this process (the import's Python side): on a loaded machine, what the
    # wall time would be with a core of its own, the database server's share aside.
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    server_cpu = _cpu_of(server) - server_before
    if refused:
        from symbiose.web.territory.models import Resource

        assert not outcome.applied and Resource.objects.count() == 0
        print(json.dumps({"seconds": elapsed, "baseline": baseline, "peak_mib": peak_mib,
                          "cpu": cpu, "listed": len(outcome.check.problems),
                          "total": outcome.check.problem_total,
                          "first": str(outcome.check.problems[0])}))
        return
    assert outcome.applied, outcome.check.problems[:5]
    print(json.dumps({"seconds": elapsed, "baseline": baseline, "peak_mib": peak_mib,
                      "cpu": cpu, "server_cpu": server_cpu,
                      "resources": outcome.changes["resources"]["created"]}))


def _plain_copy(bundle: Path) -> None:
    """The floor: each CSV file copied as it is into a table of text columns without any
    index, key or constraint (what COPY itself costs), then rolled back."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for name in ("actors", "resources"):
            path = bundle / f"{name}.csv"
            with path.open(encoding="utf-8") as f:
                header = next(csv.reader(f))
            columns = ", ".join(f"c{i} text" for i in range(len(header)))
            cursor.execute(f"CREATE TABLE floor_{name} ({columns})")
            with (cursor.cursor.copy(f"COPY floor_{name} FROM STDIN WITH (FORMAT csv, "
                                     "HEADER true)") as copy, path.open("rb") as f):
                while block := f.read(1 << 20):
                    copy.write(block)
        transaction.set_rollback(True)


def _server_process() -> int | None:
    """The database server's process serving this connection (PostgreSQL on this
    machine), whose CPU time /proc tells."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = int(cursor.fetchone()[0])
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def _cpu_of(pid: int | None) -> float:
    if pid is None:
        return float("nan")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument("--bad-share", type=float, default=0.0,
                        help="share of resource rows spoilt: measures the refusal")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, refused=args.bad_share > 0)
        return
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "bundle"
        bundle.mkdir()
        generate(bundle, args.resources, bad_share=args.bad_share)
        size = sum(p.stat().st_size for p in bundle.iterdir()) / 2**20
        print(f"bundle: {args.resources} resources, {args.resources // 10} actors, "
              f"{size:.1f} MiB of CSV")
        results = []
        floor = ("plain COPY of the CSV files into unindexed tables" if args.database_url
                 else "csv read")
        for run in range(args.runs):
            env = dict(os.environ, SYMBIOSE_DATA_DIR=str(Path(tmp) / "data"))
            if args.database_url:
                env["DATABASE_URL"] = args.database_url
                _reset_postgres(args.database_url)
            else:
                env["DATABASE_URL"] = f"sqlite:///{tmp}/run{run}.sqlite3"
            out = subprocess.run([sys.executable, __file__, "--worker", str(bundle),
                                  "--bad-share", str(args.bad_share)],
                                 env=env, capture_output=True, text=True, check=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(result)
            server = (f", database server {result['server_cpu']:.2f} s of CPU"
                      if args.database_url and "server_cpu" in result else "")
            print(f"run {run + 1}: {result['seconds']:.2f} s ({result['cpu']:.2f} s of CPU"
                  f"{server}), peak {result['peak_mib']:.0f} MiB, baseline {floor} "
                  f"{result['baseline']:.2f} s")
            if "total" in result:
                print(f"  refused: {result['listed']} problems listed of {result['total']};"
                      f" first: {result['first']}")
        seconds = statistics.median(r["seconds"] for r in results)
        baseline = statistics.median(r["baseline"] for r in results)
        peak = statistics.median(r["peak_mib"] for r in results)
        target = "< 60 s for 1,000,000 on PostgreSQL" if args.database_url else "< 30 s"
        print(f"median import time: {seconds:.2f} s (target {target})")
        print(f"median peak memory: {peak:.0f} MiB (target < 1024 MiB)")
        print(f"ratio to the baseline ({floor}), same runs: {seconds / baseline:.1f}x")
        if args.database_url and all("server_cpu" in r for r in results):
            cpu = statistics.median(r["cpu"] + r["server_cpu"] for r in results)
            print(f"median CPU, importing process and database server: {cpu:.2f} s")


def _reset_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


if __name__ == "__main__":
    main()
