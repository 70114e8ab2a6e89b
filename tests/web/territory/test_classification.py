"""Classes written back to a territory's lines while someone else writes too.

After a large import, the classes of 292,000 lines were left empty and every later import
and detection of that territory failed with "database is locked": the fill read its
lines through an open cursor and wrote between reads, which SQLite refuses at once as
soon as another connection (the job's own heartbeat) has written meanwhile.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent("""
    import sqlite3, sys, threading
    from decimal import Decimal
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from symbiose.web.territory import classification
    from symbiose.web.territory.models import Actor, Resource, Territory

    classification.BATCH = 200
    territory = Territory.objects.create(name="T", slug="t")
    actor = Actor.objects.create(territory=territory, external_id="a", name="A")
    Resource.objects.bulk_create(
        Resource(actor=actor, external_id=f"r{i}", year=2026, direction="out",
                 label=("Palettes bois", "Cartons", "Lactosérum")[i % 3])
        for i in range(3000))
    stop = threading.Event()

    def heartbeat():
        other = sqlite3.connect(sys.argv[1], timeout=5)
        while not stop.wait(0.002):
            with other:
                other.execute("UPDATE django_migrations SET app = app WHERE id = 1")
        other.close()

    beating = threading.Thread(target=heartbeat)
    beating.start()
    try:
        filled = classification.resource_classes_fill(territory=territory)
    finally:
        stop.set()
        beating.join()
    print("filled:", filled)
    print("left:", Resource.objects.filter(resource_class="").count())
""")


def test_classes_are_filled_while_another_connection_writes(tmp_path: Path) -> None:
    database = tmp_path / "laptop.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
           "SYMBIOSE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "symbiose.web.settings"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(database)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "filled: 3000" in done.stdout and "left: 0" in done.stdout, done.stdout
