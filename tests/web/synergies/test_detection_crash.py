"""A detection whose server is killed mid-run does not block the next one.

The attack pass killed the server (`kill -9`) at 40 % of a detection and restarted it: the
page still said "Détection en cours… 40 %" and every new run was refused for half an
hour. Here a real server process runs a detection in its thread, is killed at 40 %, and a
fresh process (the restarted server) must see the run failed, with its reason, and start
a new one at once. Both processes share a SQLite file, as a laptop's server does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

SETUP = """
import sys, time
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.contrib.auth.models import User
from decimal import Decimal
from symbiose.web.synergies import detection
from symbiose.web.synergies.models import DetectionRun
from symbiose.web.territory.models import Actor, Resource, Territory
"""

SERVER = SETUP + textwrap.dedent("""
    call_command("migrate", verbosity=0)
    settings.SYMBIOSE_JOBS_INLINE = False
    territory = Territory.objects.create(name="Bocage", slug="bocage")
    for ext, label, direction in [("a", "Palettes bois", "out"), ("b", "Palettes", "in")]:
        actor = Actor.objects.create(territory=territory, external_id=ext, name=ext,
                                     latitude=Decimal("48.8"), longitude=Decimal("-0.9"))
        Resource.objects.create(actor=actor, external_id=ext, year=2026, label=label,
                                direction=direction, quantity=Decimal(5), unit="t")
    user = User.objects.create_user("anim")

    def stuck(*args, **kwargs):
        time.sleep(600)  # the engine at work when the server is killed

    detection.match = stuck
    run = detection.detection_start(territory=territory, radius_km=Decimal(10), by=user)
    while DetectionRun.objects.get(pk=run.pk).progress < 40:
        time.sleep(0.05)
    print("running", run.pk, flush=True)
    time.sleep(600)
""")

RESTARTED = SETUP + textwrap.dedent("""
    territory = Territory.objects.get(slug="bocage")
    old = DetectionRun.objects.get()
    print("before:", old.status, old.progress)
    print("active:", detection.detection_active(territory=territory))
    old.refresh_from_db()
    print("after:", old.status, "|", old.error)
    settings.SYMBIOSE_JOBS_INLINE = True
    new = detection.detection_start(territory=territory, radius_km=Decimal(10), by=None)
    print("new run:", new.status, new.pk != old.pk)
""")


def test_a_killed_detection_is_failed_at_once_after_a_restart(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'laptop.sqlite3'}",
           "SYMBIOSE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "symbiose.web.settings"}
    server = subprocess.Popen([sys.executable, "-c", SERVER], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("running"), line + (server.stderr.read() if server.stderr else "")
    finally:
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
    restarted = subprocess.run([sys.executable, "-c", RESTARTED], env=env, text=True,
                               capture_output=True, timeout=120, check=False)
    assert restarted.returncode == 0, restarted.stderr
    out = restarted.stdout
    assert "before: running 40" in out, out
    assert "active: None" in out, out
    assert "after: failed | The server process running it stopped" in out, out
    assert "new run: done True" in out, out
