"""What the page and load benchmarks share: a fresh PostgreSQL database, Django set up on a
database and migrated, and a page timed request by request with its query count."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def _admin_url(url: str) -> tuple[str, str]:
    """The server's maintenance database, to create or drop `url`'s, and that name."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def recreate_postgres(url: str) -> None:
    """Drop the database of `url` if it exists and create it empty."""
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def postgres_exists(url: str) -> bool:
    import psycopg

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                 (name,)).fetchone()
    return row is not None


def django_setup(url: str, data_dir: Path | None = None) -> None:
    """Point Django at `url` (its files in `data_dir`, a new temporary folder by default),
    set it up and migrate."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "symbiose.web.settings"
    os.environ.setdefault("SYMBIOSE_DATA_DIR", str(
        data_dir or tempfile.mkdtemp(prefix="symbiose-bench-")))
    # The test client speaks as "testserver".
    os.environ["SYMBIOSE_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def measure(client: Any, url: str, requests: int, warmup: int,
            headers: dict[str, str] | None = None) -> tuple[list[float], list[int], int]:
    """Milliseconds and queries of each of `requests` GETs after `warmup` unmeasured ones,
    and the last status. The queries are counted only with `settings.DEBUG` on."""
    from django.db import connection, reset_queries

    times, queries, status = [], [], 0
    for i in range(warmup + requests):
        reset_queries()
        started = time.perf_counter()
        response = client.get(url, headers=headers or {})
        elapsed = (time.perf_counter() - started) * 1000
        status = response.status_code
        if i >= warmup:
            times.append(elapsed)
            queries.append(len(connection.queries))
    return times, queries, status


def p95(values: list[float]) -> float:
    """The 95th percentile; the largest value when there are too few to cut in twenty."""
    if len(values) < 20:
        return max(values) if values else 0.0
    return statistics.quantiles(values, n=20)[-1]
