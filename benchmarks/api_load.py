"""Load on the HTTP API: 50 concurrent clients for 60 s, gunicorn and PostgreSQL on
loopback. Prints throughput, latency percentiles and errors.

    pip install -e ".[bench]"
    python benchmarks/api_load.py [--clients 50] [--seconds 60] [--workers N]
        [--database-url postgresql://postgres@127.0.0.1:5432/symbiose_bench]

The database named in the URL is dropped and created afresh, migrated, and loaded with
the demo territory and its three accounts (facilitator, company member, observer), each
with an API token. Each client plays one role and cycles through the reads that role may
make: territory list, summary, actors, resources, anonymised resources, proposals.
Any answer other than 200 counts as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROLE_PATHS = {
    "facilitator": ["/api/territories", "/api/territories/{slug}",
                    "/api/territories/{slug}/actors", "/api/territories/{slug}/resources",
                    "/api/territories/{slug}/proposals"],
    "member": ["/api/territories", "/api/territories/{slug}",
               "/api/territories/{slug}/actors", "/api/territories/{slug}/resources",
               "/api/territories/{slug}/resources/anonymous",
               "/api/territories/{slug}/proposals"],
    "observer": ["/api/territories", "/api/territories/{slug}"],
}


def _recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _prepare(url: str) -> tuple[str, dict[str, str]]:
    """Migrate, load the demo, and return its slug and one API token per role."""
    code = (
        "import django, json; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', interactive=False, verbosity=0)\n"
        "from django.contrib.auth.models import User\n"
        "from symbiose.web.demo import demo_prepare, demo_other_accounts\n"
        "from symbiose.web.accounts.services import api_token_create\n"
        "t, login = demo_prepare(); others = demo_other_accounts(territory=t)\n"
        "names = {'facilitator': login.username, **{o.role: o.username for o in others}}\n"
        "print(json.dumps([t.slug, {r: api_token_create(user=User.objects.get(username=u)).key"
        " for r, u in names.items()}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=_env(url), capture_output=True,
                            text=True, check=True)
    import json

    slug, tokens = json.loads(result.stdout.strip().splitlines()[-1])
    return slug, tokens


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE":
            "symbiose.web.settings", "SYMBIOSE_LOG_LEVEL": "ERROR"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _client(base: str, role: str, token: str, slug: str, stop_at: float,
                  latencies: list[float], errors: list[str]) -> None:
    paths = [p.format(slug=slug) for p in ROLE_PATHS[role]]
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        i = 0
        while time.perf_counter() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                response = await client.get(path)
                ok = response.status_code == 200
            except httpx.HTTPError as error:
                ok, response = False, None
                errors.append(f"{path}: {error!r}")
            latencies.append(time.perf_counter() - started)
            if not ok and response is not None:
                errors.append(f"{path}: HTTP {response.status_code}")


async def _load(base: str, slug: str, tokens: dict[str, str], clients: int,
                seconds: float) -> tuple[list[float], list[str], float]:
    roles = list(ROLE_PATHS)
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(*(
        _client(base, roles[n % len(roles)], tokens[roles[n % len(roles)]], slug, stop_at,
                latencies, errors)
        for n in range(clients)
    ))
    return latencies, errors, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/symbiose_bench")
    args = parser.parse_args()

    _recreate_database(args.database_url)
    slug, tokens = _prepare(args.database_url)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "symbiose.web.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--threads", str(args.threads), "--log-level", "warning"],
        env=_env(args.database_url), cwd=Path(__file__).resolve().parent,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(base + "/api/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            print("gunicorn did not answer", file=sys.stderr)
            return 1
        latencies, errors, elapsed = asyncio.run(
            _load(base, slug, tokens, args.clients, args.seconds))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    latencies.sort()
    n = len(latencies)
    quantiles = statistics.quantiles(latencies, n=100) if n > 1 else [0.0] * 99
    print(f"API load: {args.clients} clients, {elapsed:.1f} s, gunicorn {args.workers} "
          f"workers x {args.threads} threads, PostgreSQL on loopback, {os.cpu_count()} CPUs")
    print(f"  requests   {n}")
    print(f"  throughput {n / elapsed:.1f} requests/s")
    print(f"  latency    p50 {quantiles[49] * 1000:.1f} ms  p95 {quantiles[94] * 1000:.1f} ms"
          f"  p99 {quantiles[98] * 1000:.1f} ms  max {latencies[-1] * 1000:.1f} ms")
    print(f"  errors     {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
