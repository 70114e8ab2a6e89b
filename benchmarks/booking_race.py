"""Twenty companies ask for the same item over the same period at the same instant: one
booking is made, every other request gets 409, no server error. On PostgreSQL and on
SQLite, each against a real server (gunicorn, several worker processes with threads, so
each request has its own database connection).

    pip install -e ".[bench]"
    python benchmarks/booking_race.py [--racers 20] [--runs 5] [--workers 4]
        [--database-url postgresql://postgres@127.0.0.1:5432/symbiose_race]

The PostgreSQL database named is dropped and created afresh; the SQLite one is a file in
a temporary folder. Each is migrated and given a territory with one item offered and one
company member (and API token) per racer. Each run races for a new period, a week after
the previous one. Prints, per database and per run: bookings created (must be 1), 409s,
server errors (must be 0), anything else; exits 1 when any run breaks the rule.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import IO

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import recreate_postgres

SEED = """
import django, json; django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth.models import User
from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import api_token_create, membership_set
from symbiose.web.lending import services
from symbiose.web.territory.models import Actor, Resource, Territory
racers = int(RACERS)
territory = Territory.objects.create(name="Course", slug="course")
lender = Actor.objects.create(territory=territory, external_id="lender", name="Loueur")
line = Resource.objects.create(actor=lender, external_id="lift", year=2026, direction="out",
                               kind="equipment", label="Nacelle 16 m")
offer = services.offer_create(resource=line, data={"title": "Nacelle 16 m"}, by=None)
tokens = []
for n in range(racers):
    actor = Actor.objects.create(territory=territory, external_id=f"c{n}", name=f"Company {n}")
    user = User.objects.create_user(f"racer{n}", password="Race-pw-12345")
    membership_set(user=user, territory=territory, role=Role.MEMBER, actors=[actor])
    tokens.append(api_token_create(user=user).key)
print(json.dumps({"offer": offer.pk, "tokens": tokens}))
"""


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE":
            "symbiose.web.settings", "SYMBIOSE_LOG_LEVEL": "ERROR"}



def _seed(url: str, racers: int) -> tuple[int, list[str]]:
    result = subprocess.run([sys.executable, "-c", SEED.replace("RACERS", str(racers))],
                            env=_env(url), capture_output=True, text=True, check=True)
    seeded = json.loads(result.stdout.strip().splitlines()[-1])
    return seeded["offer"], seeded["tokens"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _race(base: str, offer: int, tokens: list[str], week: int) -> Counter[str]:
    """Every racer posts the same period at once (a barrier releases them together)."""
    start = time.time() + week * 7 * 86400
    body = {"start": time.strftime("%Y-%m-%dT08:00:00+00:00", time.gmtime(start)),
            "end": time.strftime("%Y-%m-%dT18:00:00+00:00", time.gmtime(start))}
    url = f"{base}/api/territories/course/offers/{offer}/bookings"
    barrier = threading.Barrier(len(tokens))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def post(token: str) -> None:
        with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {token}"}) as client:
            client.get(f"{base}/api/territories/course/offers")  # connection warm, in turn
            barrier.wait(30)
            try:
                status = client.post(url, json=body).status_code
                outcome = ("created" if status == 201 else "409" if status == 409
                           else "server error" if status >= 500 else f"HTTP {status}")
            except httpx.HTTPError as error:
                outcome = f"failed: {type(error).__name__}"
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=post, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _database(label: str, url: str, args: argparse.Namespace) -> bool:
    # The server's log (Django logs each 409 as a warning) goes to a file, read at the end
    # for tracebacks: a server error the status codes would not show.
    with tempfile.TemporaryFile(mode="w+") as log:
        good = _serve_and_race(label, url, args, log)
        log.seek(0)
        tracebacks = log.read().count("Traceback")
    print(f"  tracebacks in the server's log: {tracebacks}")
    return good and tracebacks == 0


def _serve_and_race(label: str, url: str, args: argparse.Namespace, log: IO[str]) -> bool:
    offer, tokens = _seed(url, args.racers)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "symbiose.web.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--threads", str(args.threads), "--log-level", "warning"],
        env=_env(url), cwd=Path(__file__).resolve().parent, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    good = True
    try:
        for _ in range(150):
            try:
                if httpx.get(base + "/api/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            print(f"{label}: gunicorn did not answer", file=sys.stderr)
            return False
        print(f"{label}: {args.racers} simultaneous requests for one item and one period, "
              f"gunicorn {args.workers} workers x {args.threads} threads")
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            outcomes = _race(base, offer, tokens, week=run)
            elapsed = time.perf_counter() - started
            others = {k: v for k, v in outcomes.items()
                      if k not in {"created", "409", "server error"}}
            ok = (outcomes["created"] == 1 and outcomes["409"] == args.racers - 1
                  and outcomes["server error"] == 0 and not others)
            good &= ok
            print(f"  run {run}: created {outcomes['created']}  409 {outcomes['409']}  "
                  f"server errors {outcomes['server error']}"
                  + (f"  other {dict(others)}" if others else "")
                  + f"  ({elapsed * 1000:.0f} ms){'' if ok else '  <- WRONG'}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return good


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--racers", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/symbiose_race")
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    good = True
    if args.only != "sqlite":
        recreate_postgres(args.database_url)
        good &= _database("PostgreSQL", args.database_url, args)
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory(prefix="symbiose-race-") as folder:
            good &= _database("SQLite", f"sqlite:///{Path(folder) / 'race.sqlite3'}", args)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
