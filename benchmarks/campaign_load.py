"""A data campaign of 2,000 actors: the time to open it and queue its emails, and the
facilitator's progress page (median, p95, SQL queries), the company's link page beside.

    python benchmarks/campaign_load.py [--database-url postgresql://postgres@127.0.0.1:5432/symbiose_bench_campaign]
        [--actors 2000] [--runs 5] [--requests 60]
    python benchmarks/campaign_load.py --sqlite

The database named in the URL is dropped and created afresh, migrated and loaded: a
territory of `--actors` companies, each with two lines of last year's balance and a
company member with an address. The campaign is opened `--runs` times on all of them
(each run is one campaign: its invitations and their emails bulk-created in one
transaction), then a fifth of the invitations are marked sent, opened or submitted so
that the counts have something to count. Pages are requested in-process with Django's
test client (the whole Django stack, without a network): warm-up requests, then
--requests measured ones. Targets: queueing under 10 s, the progress page under 300 ms
p95; the script reports, it does not judge.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import django_setup, measure, p95, recreate_postgres

QUEUE_TARGET_S = 10.0
PAGE_TARGET_MS = 300.0


def _build(actors: int) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from symbiose.web.accounts.models import Membership, Role
    from symbiose.web.accounts.services import membership_set
    from symbiose.web.territory.models import Actor, Resource, Territory

    territory = Territory.objects.create(name="Bench campaign", slug="bench-campaign")
    rows = Actor.objects.bulk_create(
        Actor(territory=territory, external_id=f"a{i}", name=f"Entreprise {i:04d}",
              naf_code="16.10A") for i in range(actors))
    Resource.objects.bulk_create(
        Resource(actor=a, external_id=f"{a.external_id}-{d}", year=2025, direction=d,
                 label="Sciure de bois" if d == "out" else "Palettes",
                 quantity=Decimal(100), unit="t")
        for a in rows for d in ("out", "in"))
    users = User.objects.bulk_create(
        User(username=f"member{i}", email=f"contact@entreprise{i}.example.org")
        for i in range(actors))
    memberships = Membership.objects.bulk_create(
        Membership(user=u, territory=territory, role=Role.MEMBER) for u in users)
    Membership.actors.through.objects.bulk_create(
        Membership.actors.through(membership_id=m.pk, actor_id=a.pk)
        for m, a in zip(memberships, rows, strict=True))
    facilitator = User.objects.create_user("bench-facilitator", password="x")
    membership_set(user=facilitator, territory=territory, role=Role.FACILITATOR)
    return {"territory": territory, "facilitator": facilitator}


def _open(built: dict[str, Any], runs: int) -> tuple[list[float], Any]:
    from symbiose.web.campaigns.services import campaign_open
    from symbiose.web.territory.models import Actor

    times, campaign = [], None
    for run in range(runs):
        started = time.perf_counter()
        actors = list(Actor.objects.filter(territory=built["territory"]).order_by("name"))
        campaign = campaign_open(territory=built["territory"], actors=actors,
                                 site_url="http://127.0.0.1:8000/", by=built["facilitator"],
                                 data={"year": 2026, "title": f"Bilans 2026 ({run})"})
        times.append(time.perf_counter() - started)
    return times, campaign


def _spread(campaign: Any) -> None:
    """A campaign some weeks in: a fifth sent, opened, submitted each."""
    from django.utils import timezone

    from symbiose.web.campaigns.models import Invitation, OutboxMessage

    ids = list(campaign.invitations.order_by("pk").values_list("pk", flat=True))
    fifth = len(ids) // 5
    now = timezone.now()
    for n, status in enumerate([Invitation.Status.SENT, Invitation.Status.OPENED,
                                Invitation.Status.SUBMITTED]):
        Invitation.objects.filter(pk__in=ids[n * fifth:(n + 1) * fifth]).update(
            status=status, sent_at=now)
    OutboxMessage.objects.filter(invitation__campaign=campaign,
                                 invitation__status__in=["sent", "opened", "submitted"]
                                 ).update(sent_at=now, attempts=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/symbiose_bench_campaign")
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    if args.sqlite:
        url = "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    else:
        url = args.database_url
        recreate_postgres(url)
    django_setup(url)
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from symbiose.web.campaigns.models import OutboxMessage

    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    built = _build(args.actors)
    times, campaign = _open(built, args.runs)
    queued = OutboxMessage.objects.filter(invitation__campaign=campaign).count()
    print(f"open a campaign of {args.actors} actors and queue {queued} emails: "
          f"median {statistics.median(times):.2f} s, max {max(times):.2f} s over "
          f"{args.runs} runs (target < {QUEUE_TARGET_S:.0f} s)")
    _spread(campaign)
    settings.DEBUG = True  # to count queries
    facilitator = Client()
    facilitator.force_login(built["facilitator"])
    slug = built["territory"].slug
    token = campaign.invitations.filter(status="sent").values_list("token", flat=True)[0]
    pages = [
        ("baseline: territory list", facilitator, reverse("territory:list")),
        ("progress page", facilitator, reverse("campaigns:detail", args=[slug, campaign.pk])),
        ("progress, page 20", facilitator,
         reverse("campaigns:detail", args=[slug, campaign.pk]) + "?page=20"),
        ("progress, filtered", facilitator,
         reverse("campaigns:detail", args=[slug, campaign.pk]) + "?status=opened&q=01"),
        ("campaign list", facilitator, reverse("campaigns:list", args=[slug])),
        ("company link (phone)", Client(), reverse("campaigns:link", args=[token])),
    ]
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8} status")
    for name, client, url in pages:
        measured, queries, status = measure(client, url, args.requests, args.warmup)
        slow = p95(measured)
        flag = "  over target" if slow > PAGE_TARGET_MS else ""
        print(f"{name:28} {statistics.median(measured):10.1f} {slow:8.1f} {max(queries):8d} "
              f"{status}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
