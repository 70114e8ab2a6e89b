"""Server time and SQL queries of the regional pages for a region of 100 territories and
50,000 actors, on PostgreSQL.

    python benchmarks/region_dashboard.py [--database-url postgresql://postgres@127.0.0.1:5432/symbiose_bench_region]
        [--territories 100] [--actors 50000] [--proposals-each 30] [--ledger-years 5]
        [--requests 60] [--cache-url redis://127.0.0.1:6379/3 | --cache-url ""]

The database named in the URL is dropped and created afresh, migrated and loaded (bulk
inserts): the territories spread over a region, their actors around each centre, in each
territory `--proposals-each` proposals of two actors spread over the funnel and over two
years, the impact ledger of every kept synergy in implementation or operation (its seven
figures for each of the last `--ledger-years` years, of every status, one in three with
an earlier version), one actor in ten agreeing to appear in reports, two workshops a
year per territory, a published practice sheet per territory and 300 cross-territory
proposals.

The pages are requested in-process with Django's test client, measured as
`benchmarks/workshop_pages.py` does (its database set-up and its measuring loop are
reused): the first row is a baseline page (the territory list) measured the same way in
the same process, "× base" a page's median over the baseline's. Pages over the target
(p95 300 ms) are flagged; the script reports, it does not judge. The regional figures
are cached per territory until what they read changes.

The cache is the platform's shared Redis cache (`SYMBIOSE_CACHE_URL`, the Redis at
`--cache-url`, its keys under the prefix `bench-region-cache`, which alone are deleted
when it is emptied), as a deployment with a task queue has it; `--cache-url ""` runs on
the per-process memory cache of a laptop instead. The dashboard is measured as a reader
meets it: read again (cached); right after a web restart (each request from a process
that has just started: its own memory empty, its database and Redis connections new,
the shared cache as the previous process left it; with the memory cache, a restart
empties it); right after a company's declaration in one territory (another each time);
and, outside normal operation, with the cache emptied (the first reading ever, or after
Redis was flushed).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import django_setup, measure, p95, recreate_postgres
from workshop_pages import TARGET_MS

STAGES = ["idea", "study", "implementation", "operational"]
STATUSES = ["estimated", "declared", "verified"]


def _ledger_seed(proposals: list[Any], years: int, rng: random.Random) -> int:
    """Every kept synergy in implementation or operation has its seven figures for each
    of the last `years` years, of every status; one figure in three has an earlier
    version (an estimate a company's declaration replaced), which the totals must skip."""
    from django.utils import timezone

    from symbiose.core.ledger import METRICS
    from symbiose.web.ledger.models import LedgerEntry

    this_year = timezone.localdate().year
    rows = []
    for p in proposals:
        if p.decision != "kept" or p.stage not in ("implementation", "operational"):
            continue
        for year in range(this_year - years + 1, this_year + 1):
            for n, (metric, spec) in enumerate(METRICS.items()):
                value = Decimal(rng.randint(1, 500))
                if n % 3 == 0:
                    rows.append(LedgerEntry(territory_id=p.territory_id, synergy=p, year=year,
                                            metric=metric, value=value + 7, unit=spec.unit,
                                            status="estimated"))
                rows.append(LedgerEntry(territory_id=p.territory_id, synergy=p, year=year,
                                        metric=metric, value=value, unit=spec.unit,
                                        status=rng.choice(STATUSES)))
    LedgerEntry.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _build(territories: int, actors: int, proposals_each: int, ledger_years: int
           ) -> dict[str, Any]:
    from django.contrib.auth.models import User
    from django.utils import timezone

    from symbiose.web.accounts.models import Role
    from symbiose.web.accounts.services import membership_set
    from symbiose.web.ledger.models import ReportConsent
    from symbiose.web.region.models import (
        CrossProposal,
        PracticeSheet,
        Region,
        RegionMembership,
        RegionRole,
        RegionTerritory,
    )
    from symbiose.web.synergies.models import Proposal, ProposalActor
    from symbiose.web.territory.models import Actor, Territory
    from symbiose.web.workshops.models import Workshop

    rng = random.Random(14)
    started = time.perf_counter()
    region = Region.objects.create(name="Bench region", slug="bench-region")
    made = Territory.objects.bulk_create(
        Territory(name=f"Territoire {i:03d}", slug=f"t{i:03d}") for i in range(territories))
    RegionTerritory.objects.bulk_create(RegionTerritory(region=region, territory=t)
                                        for t in made)
    per = actors // territories
    rows = []
    for i, territory in enumerate(made):
        lat, lon = 47.0 + (i // 10) * 0.2, 4.0 + (i % 10) * 0.3
        rows += [Actor(territory=territory, external_id=f"a{j}", name=f"Acteur {i}-{j}",
                       naf_code=rng.choice(["10.51C", "16.10A", "22.22Z", "25.62A"]),
                       latitude=Decimal(str(round(lat + rng.random() * 0.1, 6))),
                       longitude=Decimal(str(round(lon + rng.random() * 0.1, 6))))
                 for j in range(per)]
    Actor.objects.bulk_create(rows, batch_size=5000)
    by_territory: dict[int, list[int]] = {}
    for pk, territory_id in Actor.objects.values_list("pk", "territory_id"):
        by_territory.setdefault(territory_id, []).append(pk)
    now = timezone.now()
    proposals = []
    for territory in made:
        ids = by_territory[territory.pk]
        for k in range(proposals_each):
            supplier, receiver = rng.sample(ids, 2)
            stage = STAGES[min(k % 7, 3)]
            proposals.append(Proposal(
                territory=territory, type="substitution", supplier_id=supplier,
                receiver_id=receiver, resource=f"Ressource {k}", quantity=Decimal(100),
                unit="t", tonnes_per_year=Decimal(rng.randint(5, 500)),
                co2e_avoided_t=Decimal(rng.randint(1, 50)), eur_saved=Decimal(1000),
                decision="kept" if k % 3 else "pending", stage=stage,
                stage_changed_at=now - datetime.timedelta(days=rng.randint(0, 700))))
    Proposal.objects.bulk_create(proposals, batch_size=5000)
    ProposalActor.objects.bulk_create(
        (ProposalActor(proposal=p, actor_id=pk, position=n) for p in proposals
         for n, pk in enumerate((p.supplier_id, p.receiver_id))), batch_size=5000)
    # Spread over two years, as a programme lives.
    for p in proposals[::2]:
        Proposal.objects.filter(pk=p.pk).update(created_at=now - datetime.timedelta(days=400))
    ledger = _ledger_seed(proposals, ledger_years, rng)
    ReportConsent.objects.bulk_create(
        ReportConsent(actor_id=pk) for ids in by_territory.values() for pk in ids[::10])
    Workshop.objects.bulk_create(
        Workshop(territory=territory, title=f"Atelier {year}",
                 date=datetime.date(year, 3 + n * 4, 10))
        for territory in made for year in range(now.year - ledger_years + 1, now.year + 1)
        for n in range(2))
    operational = [p for p in proposals if p.stage == "operational" and p.decision == "kept"]
    first_per_territory = {p.territory_id: p for p in reversed(operational)}
    PracticeSheet.objects.bulk_create(
        PracticeSheet(proposal=p, region=region, title=f"Fiche {p.pk}", exchanged="Texte",
                      published_at=now) for p in first_per_territory.values())
    CrossProposal.objects.bulk_create(
        CrossProposal(region=region, supplier_id=rng.choice(by_territory[a.pk]),
                      receiver_id=rng.choice(by_territory[b.pk]), resource=f"Croisement {n}",
                      score=Decimal("0.5"), explanation="Texte")
        for n, (a, b) in enumerate(zip(made * 3, made[1:] * 3 + made[:1] * 3, strict=True)))
    regional = User.objects.create_user("bench-regional")
    RegionMembership.objects.create(user=regional, region=region, role=RegionRole.FACILITATOR)
    observer = User.objects.create_user("bench-observer")
    RegionMembership.objects.create(user=observer, region=region, role=RegionRole.OBSERVER)
    facilitator = User.objects.create_user("bench-facilitator")
    membership_set(user=facilitator, territory=made[0], role=Role.FACILITATOR)
    return {"region": region, "regional": regional, "observer": observer,
            "facilitator": facilitator, "built_s": time.perf_counter() - started,
            "actors": Actor.objects.count(), "proposals": len(proposals), "ledger": ledger}


class _Cold:
    """A client that empties the cache before each request: the dashboard as its first
    reader after a change of a territory's ledger, programme or actors sees it (the
    figures are cached until what they read changes)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def get(self, url: str, headers: dict[str, str] | None = None) -> Any:
        from django.core.cache import cache

        cache.clear()
        return self.client.get(url, headers=headers)


class _CpuTimed:
    """A client that keeps the CPU time of the web process (this one; the database's is
    apart) for each request: on a loaded machine the wall time stretches, this less."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.cpu_ms: list[float] = []

    def get(self, url: str, headers: dict[str, str] | None = None) -> Any:
        started = time.process_time()
        response = self.client.get(url, headers=headers)
        self.cpu_ms.append((time.process_time() - started) * 1000)
        return response


class _AfterRestart:
    """A client whose every request comes from a web process that has just started: the
    process's memory of the regional figures and lines is forgotten, and its database and
    cache connections are new. The shared cache (Redis) keeps what the previous process
    put in it; a memory cache does not survive a restart and is emptied."""

    def __init__(self, client: Any, shared: bool) -> None:
        self.client = client
        self.shared = shared

    def get(self, url: str, headers: dict[str, str] | None = None) -> Any:
        from django.core.cache import cache, caches
        from django.db import connection

        from symbiose.web.region import selectors, views, visibility

        selectors._held = selectors._Held()
        visibility._lines = visibility.Memo(20_000)
        views._lines_html = visibility.Memo(20_000)
        connection.close()
        if self.shared:
            client = caches["default"].__dict__.pop("_cache", None)
            for pool in getattr(client, "_pools", {}).values():
                pool.disconnect()  # a new process opens its own connections
        else:
            cache.clear()
        return self.client.get(url, headers=headers)


class _AfterDeclaration:
    """A client that records a company's declaration in one territory (a different one
    each time) before each request: the dashboard as its first reader after the most
    common change sees it."""

    def __init__(self, client: Any) -> None:
        from symbiose.web.ledger.models import LedgerEntry

        self.client = client
        self.kept = list(LedgerEntry.objects.order_by("synergy_id").distinct()
                         .values_list("synergy_id", "territory_id", "year", "unit")
                         .filter(metric="tonnes"))
        self.turn = 0
        # Per declaration: wall ms, CPU ms and queries of the write, which the writer
        # waits for (the reader's time is the request's less these; the request counts
        # its own queries only).
        self.writes: list[tuple[float, float, int]] = []

    def get(self, url: str, headers: dict[str, str] | None = None) -> Any:
        from django.db import connection

        from symbiose.web.ledger.models import LedgerEntry

        synergy, territory, year, unit = self.kept[self.turn * 7919 % len(self.kept)]
        self.turn += 1
        started, cpu, queries = time.perf_counter(), time.process_time(), len(
            connection.queries)
        # Committed at once (autocommit): its territory's figures are read again then.
        LedgerEntry.objects.create(territory_id=territory, synergy_id=synergy, year=year,
                                   metric="tonnes", value=Decimal(self.turn), unit=unit,
                                   status="declared")
        self.writes.append(((time.perf_counter() - started) * 1000,
                            (time.process_time() - cpu) * 1000,
                            len(connection.queries) - queries))
        return self.client.get(url, headers=headers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/symbiose_bench_region")
    parser.add_argument("--territories", type=int, default=100)
    parser.add_argument("--actors", type=int, default=50_000)
    parser.add_argument("--proposals-each", type=int, default=30)
    parser.add_argument("--ledger-years", type=int, default=5)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/3",
                        help='the shared Redis cache; "" for the memory cache of a laptop')
    args = parser.parse_args()
    os.environ["SYMBIOSE_CACHE_URL"] = args.cache_url
    os.environ["SYMBIOSE_QUEUE_NAME"] = "bench-region"  # the cache's keys' prefix
    recreate_postgres(args.database_url)
    django_setup(args.database_url)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    settings.DEBUG = True  # to count queries
    shared = bool(args.cache_url)
    from django.core.cache import cache

    cache.clear()
    built = _build(args.territories, args.actors, args.proposals_each, args.ledger_years)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"cache: {'shared Redis at ' + args.cache_url if shared else 'per-process memory'}")
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; "
          f"{args.territories} territories, {built['actors']} actors, {built['proposals']} "
          f"proposals, {built['ledger']} ledger entries; built in {built['built_s']:.1f} s")
    clients = {}
    for role in ("regional", "observer", "facilitator"):
        clients[role] = Client()
        clients[role].force_login(built[role])
    clients["cold"] = _Cold(clients["observer"])
    clients["declared"] = _AfterDeclaration(clients["observer"])
    clients["restart"] = _AfterRestart(clients["observer"], shared)
    slug = built["region"].slug
    pages = [
        ("baseline: territory list", "facilitator", reverse("territory:list")),
        ("regional dashboard (facilitator)", "regional", reverse("region:dashboard",
                                                                  args=[slug])),
        ("regional dashboard (observer)", "observer", reverse("region:dashboard",
                                                               args=[slug])),
        ("dashboard after a web restart", "restart", reverse("region:dashboard",
                                                              args=[slug])),
        ("dashboard after a declaration", "declared", reverse("region:dashboard",
                                                               args=[slug])),
        ("dashboard, cache emptied (cold)", "cold", reverse("region:dashboard",
                                                                 args=[slug])),
        ("library", "regional", reverse("region:library", args=[slug])),
        ("cross-territory proposals", "regional", reverse("region:crossings", args=[slug])),
    ]
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'× base':>7} {'CPU ms':>7} "
          f"{'queries':>8} status")
    base = 0.0
    for label, role, url in pages:
        # The cold page takes seconds: a third of the requests say enough of it.
        requests = args.requests // 3 if role == "cold" else args.requests
        timed = _CpuTimed(clients[role])
        times, queries, status = measure(timed, url, requests, args.warmup)
        cpus = timed.cpu_ms[args.warmup:]
        if role == "declared":
            writes = clients[role].writes[args.warmup:]
            times = [t - w[0] for t, w in zip(times, writes, strict=True)]
            cpus = [c - w[1] for c, w in zip(cpus, writes, strict=True)]
            write_ms = [w[0] for w in writes]
            print(f"{'  the declaration (write, commit)':34} {statistics.median(write_ms):10.1f} "
                  f"{p95(write_ms):8.1f} {'':7} "
                  f"{statistics.median(w[1] for w in writes):7.1f} "
                  f"{max(w[2] for w in writes):8d}")
        cpu = statistics.median(cpus)
        median = statistics.median(times)
        slow = p95(times)
        base = base or median
        flag = "  OVER" if slow > TARGET_MS else ""
        print(f"{label:34} {median:10.1f} {slow:8.1f} {median / base:7.1f} {cpu:7.1f} "
              f"{max(queries):8d} {status}{flag}")
    print("CPU ms: median CPU time of the web process per request (the database's apart); "
          "after a declaration: the reader's request, the declaration's write apart above")
    return 0


if __name__ == "__main__":
    sys.exit(main())
