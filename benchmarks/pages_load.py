"""Server time and SQL queries of each workspace page, for a territory of 5,000 actors and
50,000 resources. Prints, per page, the median and p95 time and the queries per request.

    python benchmarks/pages_load.py [--database-url postgresql://postgres@127.0.0.1:5432/symbiose_bench_pages]
        [--reuse] [--requests 200] [--warmup 5] [--actors 5000] [--resources 50000]
        [--proposals 2000] [--kept 300] [--member]
    python benchmarks/pages_load.py --sqlite --actors 500 --resources 5000 --requests 20

Without --reuse the database named in the URL is dropped and created afresh, migrated, and
loaded: a synthetic territory (`core.synth`) imported through the import service, the
matching engine run on it and its best proposals recorded (`proposals_sync_from_bundle`),
a few hundred of them kept and moved along the programme's stages. With --reuse an
existing benchmark territory is used as is (built if absent).

Each page is requested in-process with Django's test client, logged in as the
territory's facilitator (or, with --member, as a company member, who reads the others
unnamed and gets 404 on the facilitator's pages): a few warm-up requests, then
--requests measured ones, cycling through the page's variants (several actors, filters,
sorts). The time is the whole
Django stack (middleware, views, templates), without a network or a WSGI server: what
the issue calls the server time. A page whose URL name does not resolve yet is printed
"absent" (pages are being built in parallel). A page over its target (p95 300 ms; the
map's data 1 s) is flagged; the script still exits 0: it reports, it does not judge.

The first row is a baseline measured the same way in the same process: the territory
list, the cheapest logged-in page (the whole middleware stack, one small query). Each
page's "× base" is its median over the baseline's, a figure that moves with the code
rather than with the machine.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import django_setup, p95, postgres_exists, recreate_postgres

TERRITORY = "Bench pages"
FACILITATOR = "bench-facilitator"
TARGET_MS = 300.0
STAGES = ("idea", "study", "implementation", "operational", "abandoned")
KINDS = ("company", "company", "company", "company", "farm", "health", "public",
         "association")


@dataclass
class Page:
    """One page and the URL variants its requests cycle through."""

    label: str
    name: str
    urls: list[str] = field(default_factory=list)
    target_ms: float = TARGET_MS
    absent: bool = False


@dataclass
class Figures:
    times_ms: list[float]
    queries: list[int]
    statuses: dict[int, int]





def _step(message: str) -> Callable[[], None]:
    started = time.perf_counter()
    print(f"  {message}…", end="", flush=True)

    def done() -> None:
        print(f" {time.perf_counter() - started:.1f} s", flush=True)

    return done


def _build(args: argparse.Namespace) -> None:
    """The territory, its proposals and decisions, and the facilitator's account."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from symbiose.core.bundle import write_bundle
    from symbiose.core.matching.engine import match
    from symbiose.core.synth import synth_territory
    from symbiose.web.accounts.models import Role
    from symbiose.web.accounts.services import membership_set
    from symbiose.web.synergies.models import Proposal
    from symbiose.web.synergies.services import proposal_stage_set, proposals_sync_from_bundle
    from symbiose.web.territory.models import Actor, Territory
    from symbiose.web.transfer.importing import bundle_import

    print(f"building “{TERRITORY}”: {args.actors} actors, {args.resources} resources")
    done = _step("synthesising the bundle")
    actors, resources = synth_territory(args.actors, seed=args.seed, resources=args.resources)
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "bundle"
        write_bundle(bundle, actors=actors, resources=resources)
        done()
        done = _step("importing it with the import service")
        outcome = bundle_import(territory_name=TERRITORY, path=bundle,
                                          default_year=2024)
        done()
    if not outcome.applied:
        raise SystemExit(f"the synthetic bundle was refused: {outcome.check.problems[:3]}")
    territory = Territory.objects.get(name=TERRITORY)
    # Synthetic actors are all companies; the map draws kinds, so vary them.
    for offset, kind in enumerate(KINDS):
        ids = list(Actor.objects.filter(territory=territory).order_by("pk")
                   .values_list("pk", flat=True)[offset::len(KINDS)])
        Actor.objects.filter(pk__in=ids).update(kind=kind)

    done = _step("matching")
    records = match(actors, resources, language="fr")
    done()
    done = _step(f"recording the best {args.proposals} of {len(records)} proposals")
    with transaction.atomic():
        proposals_sync_from_bundle(territory=territory, records=records[:args.proposals])
        Proposal.objects.filter(territory=territory).update(origin=Proposal.Origin.ENGINE)
    done()
    done = _step(f"keeping {args.kept} of them along the programme's stages")
    facilitator, _ = User.objects.get_or_create(username=FACILITATOR)
    membership_set(user=facilitator, territory=territory, role=Role.FACILITATOR)
    kept = list(Proposal.objects.filter(territory=territory).order_by("-score", "pk")
                [:args.kept])
    Proposal.objects.filter(pk__in=[p.pk for p in kept]).update(
        decision=Proposal.Decision.KEPT, decided_at=timezone.now(), decided_by=facilitator)
    for n, proposal in enumerate(kept):
        stage = STAGES[n % len(STAGES)]
        if stage != "idea":
            proposal_stage_set(proposal=proposal, stage=stage,
                               reason="benchmark" if stage == "abandoned" else "",
                               by=facilitator)
    done()


def _member(territory: Any) -> Any:
    """The benchmark's company member: of the actor named in the most proposals."""
    from django.contrib.auth.models import User
    from django.db.models import Count

    from symbiose.web.accounts.models import Role
    from symbiose.web.accounts.services import membership_set
    from symbiose.web.synergies.models import ProposalActor
    from symbiose.web.territory.models import Actor

    busiest = (ProposalActor.objects.filter(proposal__territory=territory)
               .values("actor_id").annotate(n=Count("id")).order_by("-n", "actor_id")
               .first())
    user, _ = User.objects.get_or_create(username="bench-member")
    actors = [Actor.objects.get(pk=busiest["actor_id"])] if busiest else []
    membership_set(user=user, territory=territory, role=Role.MEMBER, actors=actors)
    return user


def _existing() -> bool:
    from symbiose.web.territory.models import Territory

    territory = Territory.objects.filter(name=TERRITORY).first()
    return territory is not None and territory.actors.exists()


def _pages(slug: str) -> list[Page]:
    """Every workspace page with its variants; absent ones marked."""
    from django.db.models import Count, Max
    from django.urls import NoReverseMatch, reverse

    from symbiose.web.synergies.models import Proposal
    from symbiose.web.territory.models import Actor

    actors = list(Actor.objects.filter(territory__slug=slug)
                  .annotate(lines=Count("resources"), year=Max("resources__year"))
                  .filter(lines__gt=0).order_by("-lines", "pk")
                  .values_list("external_id", "year")[:200])
    # Several actors: the busiest ones and some ordinary ones.
    chosen = actors[:3] + actors[50::40][:5]
    proposals = list(Proposal.objects.filter(territory__slug=slug)
                     .order_by("-decision", "-score").values_list("pk", flat=True)[:400])
    chosen_proposals = proposals[:3] + proposals[100::60][:5]
    s = {"slug": slug}
    specs: list[tuple[str, str, list[tuple[dict[str, Any], str]], float]] = [
        ("dashboard", "dashboard:home", [(s, "")], TARGET_MS),
        ("map", "dashboard:map", [(s, "")], TARGET_MS),
        ("map data", "dashboard:map_data", [(s, "")], 1000.0),
        ("actors", "territory:actors", [(s, "")], TARGET_MS),
        ("actors ?q=", "territory:actors", [(s, "?q=entreprise+12"), (s, "?q=bois")],
         TARGET_MS),
        ("actors ?sort=", "territory:actors", [(s, "?sort=name"), (s, "?sort=-name")],
         TARGET_MS),
        ("actor page", "territory:actor",
         [({**s, "actor_id": a}, "") for a, _ in chosen], TARGET_MS),
        ("flow balance", "territory:balance",
         [({**s, "actor_id": a, "year": y}, "") for a, y in chosen], TARGET_MS),
        ("suggest", "territory:suggest", [(s, "?label=palettes+bois")], TARGET_MS),
        ("catalogue", "synergies:catalogue",
         [(s, ""), (s, "?type=substitution"), (s, "?decision=kept"),
          (s, "?min_score=0.5&sort=-score")], TARGET_MS),
        ("proposal", "synergies:proposal",
         [({**s, "proposal_id": p}, "") for p in chosen_proposals], TARGET_MS),
        ("board", "synergies:board", [(s, "")], TARGET_MS),
        ("import page", "transfer:import", [(s, "")], TARGET_MS),
    ]
    pages = []
    for label, name, variants, target in specs:
        page = Page(label, name, target_ms=target)
        try:
            page.urls = [reverse(name, kwargs=kwargs) + query for kwargs, query in variants]
        except NoReverseMatch:
            page.absent = True
        if not page.urls:
            page.absent = True
        pages.append(page)
    return pages


def _measure(client: Any, page: Page, requests: int, warmup: int) -> Figures:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(warmup):
        client.get(page.urls[n % len(page.urls)])
    figures = Figures([], [], {})
    for n in range(requests):
        url = page.urls[n % len(page.urls)]
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        if hasattr(response, "streaming_content"):
            for _ in response.streaming_content:
                pass
        figures.times_ms.append(elapsed * 1000)
        figures.queries.append(len(queries.captured_queries))
        figures.statuses[response.status_code] = figures.statuses.get(response.status_code,
                                                                      0) + 1
    return figures



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/symbiose_bench_pages")
    parser.add_argument("--sqlite", action="store_true",
                        help="a SQLite file in a temporary data folder, for a quick check")
    parser.add_argument("--reuse", action="store_true",
                        help="use the benchmark territory already in the database")
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--resources", type=int, default=50_000)
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--kept", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--member", action="store_true",
                        help="request the pages as a company member of the actor named in "
                             "the most proposals, whose pages describe the others unnamed")
    args = parser.parse_args()

    data_dir = Path(os.environ.get("SYMBIOSE_DATA_DIR")
                    or Path(tempfile.gettempdir()) / "symbiose-bench-pages")
    data_dir.mkdir(parents=True, exist_ok=True)
    if args.sqlite:
        database = data_dir / "pages.sqlite3"
        url = f"sqlite:///{database}"
        if not args.reuse:
            database.unlink(missing_ok=True)
    else:
        url = args.database_url
        if not args.reuse or not postgres_exists(url):
            recreate_postgres(url)
    django_setup(url, data_dir)
    if not _existing():
        _build(args)

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from symbiose.web.territory.models import Resource, Territory

    territory = Territory.objects.get(name=TERRITORY)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(_member(territory) if args.member
                       else User.objects.get(username=FACILITATOR))
    # A member's 404 on the facilitator's pages is expected: not a warning per request.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    counts = (territory.actors.count(),
              Resource.objects.filter(actor__territory=territory).count(),
              territory.proposals.count(),
              territory.proposals.filter(decision="kept").count())
    print(f"pages: {counts[0]} actors, {counts[1]} resources, {counts[2]} proposals "
          f"({counts[3]} kept); as {'a member' if args.member else 'the facilitator'}; "
          f"{connection.vendor}, DEBUG={settings.DEBUG}, "
          f"{args.requests} requests per page after {args.warmup} warm-up, {os.cpu_count()} CPUs")
    print(f"{'page':<16} {'URL name':<22} {'median ms':>10} {'p95 ms':>9} {'× base':>7} "
          f"{'queries':>9}  status")
    slow = []
    from django.urls import reverse

    baseline = Page("baseline", "territory:list", [reverse("territory:list")])
    base_median: float | None = None
    for page in [baseline, *_pages(territory.slug)]:
        if page.absent:
            print(f"{page.label:<16} {page.name:<22} {'absent':>10}")
            continue
        figures = _measure(client, page, args.requests, args.warmup)
        median = statistics.median(figures.times_ms)
        slowest = p95(figures.times_ms)
        base_median = median if base_median is None else base_median
        ratio = median / base_median if base_median else 0.0
        low, high = min(figures.queries), max(figures.queries)
        queries = str(low) if low == high else f"{low}-{high}"
        statuses = " ".join(f"{code}×{n}" for code, n in sorted(figures.statuses.items()))
        flag = ""
        if slowest > page.target_ms:
            flag = f"  SLOW (target p95 < {page.target_ms:.0f} ms)"
            slow.append(page.label)
        print(f"{page.label:<16} {page.name:<22} {median:>10.1f} {slowest:>9.1f} {ratio:>7.1f} "
              f"{queries:>9}  "
              f"{statuses}{flag}", flush=True)
    print("over target: " + (", ".join(slow) if slow else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
