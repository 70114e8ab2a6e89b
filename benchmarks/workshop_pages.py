"""Server time and SQL queries of a workshop's pages with 80 participants and 400 cards,
and the time a card added in the room takes (it recomputes the room's pairs).

    python benchmarks/workshop_pages.py [--database-url postgresql://postgres@127.0.0.1:5432/symbiose_bench_workshop]
        [--participants 80] [--cards-each 5] [--requests 60]
    python benchmarks/workshop_pages.py --sqlite

The database named in the URL is dropped and created afresh, migrated and loaded: a
territory of `--participants` companies of varied activities, each with `--cards-each`
balance lines, all invited to one workshop, every company confirming its balance cards
(withdrawing the likely-flow drafts), interests marked on a third of the pairs.

Each page is requested in-process with Django's test client (the whole Django stack,
without a network): warm-up requests, then --requests measured ones. A company's pages
are read as a member of that company; the others as the facilitator. The first row is a
baseline measured the same way in the same process (the territory list); "× base" is a
page's median over the baseline's. Pages over the target (p95 300 ms) are flagged; the
script reports, it does not judge.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import django_setup, measure, p95, recreate_postgres

TARGET_MS = 300.0
ACTIVITIES = [  # NAF, outputs, inputs
    ("10.51A", ["Lactosérum", "Boues de station"], ["Chaleur", "Cartons"]),
    ("16.10A", ["Sciure de bois", "Écorces"], ["Palettes"]),
    ("16.23Z", ["Chutes de bois", "Copeaux"], ["Bois de palette"]),
    ("01.46Z", ["Lisier de porc"], ["Aliment pour porcs", "Paille"]),
    ("22.22Z", ["Chutes de plastique PE", "Cartons usagés"], ["Granulés de PE recyclé"]),
    ("25.62A", ["Copeaux métalliques", "Huiles de coupe usagées"], ["Chiffons"]),
    ("35.30Z", ["Chaleur fatale 60 °C"], ["Bois déchiqueté"]),
    ("52.10B", ["Palettes bois usagées", "Films plastique"], ["Cartons"]),
]


def _build(participants: int, cards_each: int) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from symbiose.web.accounts.models import Role
    from symbiose.web.accounts.services import membership_set
    from symbiose.web.territory.models import Actor, Resource, Territory
    from symbiose.web.workshops import services
    from symbiose.web.workshops.models import Card, Pair

    rng = random.Random(7)
    territory = Territory.objects.create(name="Bench workshop", slug="bench-workshop")
    actors = []
    for i in range(participants):
        naf, outs, ins = ACTIVITIES[i % len(ACTIVITIES)]
        actor = Actor.objects.create(
            territory=territory, external_id=f"a{i}", name=f"Entreprise {i:03d}", naf_code=naf,
            latitude=Decimal("47.2") + Decimal(rng.randint(0, 300)) / 1000,
            longitude=Decimal("4.8") + Decimal(rng.randint(0, 300)) / 1000)
        labels = [("out", label) for label in outs] + [("in", label) for label in ins]
        for j in range(cards_each):
            direction, label = labels[j % len(labels)]
            Resource.objects.create(actor=actor, external_id=f"a{i}-{j}", year=2025,
                                    direction=direction, label=f"{label} {j // len(labels) or ''}"
                                    .strip(), quantity=Decimal(rng.randint(1, 500)), unit="t",
                                    confidentiality="public")
        actors.append(actor)
    facilitator = User.objects.create_user("bench-facilitator", password="x")
    membership_set(user=facilitator, territory=territory, role=Role.FACILITATOR, actors=[])
    member = User.objects.create_user("bench-member", password="x")
    membership_set(user=member, territory=territory, role=Role.MEMBER, actors=[actors[0]])
    import datetime

    workshop = services.workshop_create(
        territory=territory, by=facilitator,
        data={"title": "Atelier", "date": datetime.date(2026, 3, 12),
              "themes": ["Bois", "Agro", "Plastiques", "Énergie"]})
    tables = list(workshop.tables.all())
    started = time.perf_counter()
    invited = []
    for i, actor in enumerate(actors):
        invited += services.participants_invite(workshop=workshop, actors=[actor],
                                                table=tables[i % len(tables)], by=None)
    for participant in invited:
        balance = participant.cards.filter(origin=Card.Origin.BALANCE)
        services.cards_decide(participant=participant,
                              confirm=list(balance.values_list("pk", flat=True)),
                              withdraw=list(participant.cards.exclude(
                                  origin=Card.Origin.BALANCE).values_list("pk", flat=True)),
                              as_company=True, by=None)
    built_s = time.perf_counter() - started
    pairs = list(Pair.objects.filter(workshop=workshop).select_related(
        "have__participant", "want__participant"))
    for pair in pairs[::3]:
        services.interest_set(participant=pair.have.participant, pair=pair,
                              level=rng.randint(0, 3))
        services.interest_set(participant=pair.want.participant, pair=pair,
                              level=rng.randint(0, 3))
    cards = Card.objects.filter(workshop=workshop, status="confirmed").count()
    return {"workshop": workshop, "facilitator": facilitator, "member": member,
            "participant": invited[0], "cards": cards, "pairs": len(pairs),
            "built_s": built_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/symbiose_bench_workshop")
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--participants", type=int, default=80)
    parser.add_argument("--cards-each", type=int, default=5)
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

    settings.DEBUG = True  # to count queries
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    built = _build(args.participants, args.cards_each)
    workshop, participant = built["workshop"], built["participant"]
    print(f"{args.participants} participants, {built['cards']} confirmed cards, "
          f"{built['pairs']} pairs; invitations and confirmations took {built['built_s']:.1f} s")
    facilitator, member = Client(), Client()
    facilitator.force_login(built["facilitator"])
    member.force_login(built["member"])
    anonymous = Client()
    slug, wid = workshop.territory.slug, workshop.pk
    pages = [
        ("baseline: territory list", facilitator, reverse("territory:list"), None),
        ("workshop (facilitator)", facilitator, reverse("workshops:detail", args=[slug, wid]),
         None),
        ("room (facilitator)", facilitator, reverse("workshops:room", args=[slug, wid]), None),
        ("room (member)", member, reverse("workshops:room", args=[slug, wid]), None),
        ("projector", facilitator, reverse("workshops:projector", args=[slug, wid]), None),
        ("projector refresh (htmx)", facilitator,
         reverse("workshops:projector", args=[slug, wid]), {"HX-Request": "true"}),
        ("personal link (phone)", anonymous, reverse("workshops:link",
                                                     args=[participant.token]), None),
        ("results", facilitator, reverse("workshops:results", args=[slug, wid]), None),
        ("summary.xlsx", facilitator, reverse("workshops:summary_xlsx", args=[slug, wid]),
         None),
        ("summary.pdf", facilitator, reverse("workshops:summary_pdf", args=[slug, wid]), None),
        ("cards.pdf", facilitator, reverse("workshops:cards_pdf", args=[slug, wid]), None),
    ]
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'× base':>7} {'queries':>8} status")
    base = 0.0
    for label, client, url, headers in pages:
        heavy = label.endswith((".pdf", ".xlsx"))
        times, queries, status = measure(client, url, max(5, args.requests // 6) if heavy
                                         else args.requests, 2 if heavy else args.warmup,
                                         headers)
        median = statistics.median(times)
        slow = p95(times)
        base = base or median
        flag = "  OVER" if slow > TARGET_MS and not heavy else ""
        print(f"{label:32} {median:10.1f} {slow:8.1f} {median / base:7.1f} "
              f"{max(queries):8d} {status}{flag}")
    # A card added in the room: the write and the pairs recomputed over every card.
    from symbiose.web.workshops import services

    add_ms = []
    for i in range(7):
        started = time.perf_counter()
        services.card_add(participant=participant, data={"side": "in",
                                                         "label": f"Palettes {i}"},
                          client_key=f"bench-{i}", by=None)
        add_ms.append((time.perf_counter() - started) * 1000)
    print(f"card added in the room (pairs recomputed): median {statistics.median(add_ms):.0f} ms"
          f", slowest {max(add_ms):.0f} ms over {len(add_ms)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
