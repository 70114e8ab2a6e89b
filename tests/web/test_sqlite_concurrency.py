"""Two people saving at the same moment on the laptop's SQLite database: the second waits
for the first instead of failing with "database is locked".

Each edit form re-reads its row under a lock, then writes (the stale-edit guard). On
SQLite a transaction that has read and then wants to write while another one wrote is
refused at once, unless transactions take the write lock when they begin. The check runs
in a fresh interpreter on a SQLite file of its own, whatever database the suite uses.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent("""
    import threading, time
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    call_command("migrate", verbosity=0)
    from symbiose.web.territory.models import Actor, Territory

    territory = Territory.objects.create(name="Bocage", slug="bocage")
    actor = Actor.objects.create(territory=territory, external_id="a1", name="Scierie")
    connection.close()
    first_has_read = threading.Event()
    failures = []

    def edit(name, wait_for=None, pause=0.0):
        try:
            if wait_for is not None:
                wait_for.wait(5)
            with transaction.atomic():
                row = Actor.objects.select_for_update().get(pk=actor.pk)
                first_has_read.set()
                time.sleep(pause)  # the other edit starts while this one holds its row
                row.name = row.name + " " + name
                row.save(update_fields=["name"])
        except Exception as error:
            failures.append(f"{name}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=("A",), kwargs={"pause": 0.5}),
               threading.Thread(target=edit, args=("B",), kwargs={"wait_for": first_has_read})]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("failures:", failures)
    print("name:", Actor.objects.get(pk=actor.pk).name)
""")


def test_simultaneous_edits_both_land_on_sqlite(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'laptop.sqlite3'}",
           "SYMBIOSE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "symbiose.web.settings"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "failures: []" in done.stdout, done.stdout
    assert "name: Scierie A B" in done.stdout, done.stdout
