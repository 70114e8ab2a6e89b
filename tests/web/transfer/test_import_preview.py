"""An import's preview reads and never writes, so it holds no lock others wait on.

The attack pass found that the preview of a 130 KB zip (2 million rows) held SQLite's
write lock for minutes: the preview was the import itself, rolled back at the end, and
every log-in and save of other people failed with "database is locked" meanwhile.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from symbiose.web.territory.models import Territory
from symbiose.web.transfer import importing
from tests.web.bundles import ACTORS, snapshot, write_bundle

SYNERGIES = ("type,supplier_id,receiver_id,actor_ids,resource\n"
             "substitution,a1,a2,a1;a2,Chaleur fatale\n")
WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "BEGIN")


def _rows(count: int) -> str:
    lines = ["actor_id,direction,label,quantity,unit"]
    lines += [f"a{1 + i % 2},out,Palettes lot {i},{i},t" for i in range(count)]
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_a_preview_counts_changes_without_a_single_write(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", resources=_rows(50))
    (bundle / "synergies.csv").write_text(SYNERGIES, encoding="utf-8")
    importing.bundle_import(territory_name="Test", path=bundle, default_year=2026)
    edited = write_bundle(tmp_path / "e", actors=ACTORS.replace("Narcy", "Nevers")
                          + "a3,Scierie,16.10A,company,47.3,3.1,Cosne,Port,12\n",
                          resources=_rows(60))
    (edited / "synergies.csv").write_text(SYNERGIES + SYNERGIES.splitlines()[1] + "\n"
                                          "pooling,,,a1;a3,Cartons\n", encoding="utf-8")
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        outcome = importing.bundle_import(
            territory_name="Test", path=edited, default_year=2026, dry_run=True)
    written = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert written == []
    assert snapshot() == before
    assert not outcome.applied
    changes = {table: dict(counts) for table, counts in outcome.changes.items()}
    assert changes == {
        "actors": {"created": 1, "updated": 1, "unchanged": 1},  # a2 moves to a new commune
        "resources": {"created": 10, "updated": 0, "unchanged": 50},
        "synergies": {"created": 1, "unchanged": 2},  # a repeated row is the same synergy
    }
    # The counts are the ones the import then gives.
    applied = importing.bundle_import(territory_name="Test", path=edited,
                                               default_year=2026)
    assert {t: dict(c) for t, c in applied.changes.items()} == changes


@pytest.mark.django_db
def test_a_preview_of_a_new_territory_counts_everything_new(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", resources=_rows(5))
    outcome = importing.bundle_import(territory_name="Neuf", path=bundle,
                                               default_year=2026, dry_run=True)
    assert not Territory.objects.filter(name="Neuf").exists()
    assert outcome.changes["actors"]["created"] == 2
    assert outcome.changes["resources"]["created"] == 5


@pytest.mark.django_db
def test_an_import_beaten_to_the_territory_says_so(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Two imports of one bundle into a new territory: the one that creates it second
    gets a message, not an IntegrityError's traceback."""
    bundle = write_bundle(tmp_path / "b")

    real_create = importing.territory_create

    def created_meanwhile(*, name: str, description: str = "") -> Territory:
        Territory.objects.create(name=name, slug="the-other-import")  # the other one won
        return real_create(name=name, description=description)

    monkeypatch.setattr(importing, "territory_create", created_meanwhile)
    with (translation.override("fr"),
          pytest.raises(importing.ImportConflict, match="au même moment") as refused):
        importing.bundle_import(territory_name="Neuf", path=bundle, default_year=2026)
    assert isinstance(refused.value.__cause__, IntegrityError)


SCRIPT = textwrap.dedent("""
    import sqlite3, sys, threading
    from pathlib import Path
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    call_command("migrate", verbosity=0)
    from symbiose.web.transfer import importing

    database = sys.argv[1]
    bundle = Path(sys.argv[2])
    failures = []

    def someone_else_writes(rows):
        # Another person's save, with a short wait: it must not find the database locked.
        def save():
            try:
                other = sqlite3.connect(database, timeout=0.5)
                with other:
                    other.execute("UPDATE django_migrations SET app = app WHERE id = 1")
                other.close()
            except sqlite3.OperationalError as error:
                failures.append(str(error))
        thread = threading.Thread(target=save)
        thread.start()
        thread.join()

    importing.bundle_import(territory_name="T", path=bundle, default_year=2026)
    outcome = importing.bundle_import(territory_name="T", path=bundle,
                                               default_year=2026, dry_run=True,
                                               progress=someone_else_writes)
    print("unchanged:", outcome.changes["resources"]["unchanged"])
    print("failures:", failures)
""")


def test_others_save_while_a_long_preview_runs_on_sqlite(tmp_path: Path) -> None:
    database = tmp_path / "laptop.sqlite3"
    bundle = write_bundle(tmp_path / "b", resources=_rows(5000))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
           "SYMBIOSE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "symbiose.web.settings"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(database), str(bundle)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "unchanged: 5000" in done.stdout, done.stdout
    assert "failures: []" in done.stdout, done.stdout
