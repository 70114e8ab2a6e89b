"""The report and the campaign sending on a real Redis, run by a real `symbiose worker`,
as `test_queue` runs detection: the server that starts a job stops (a restart), a worker
runs it, the restarted server reads the outcome; a worker lost midway through a sending
is resumed without any email sent twice."""

from __future__ import annotations

import os
import signal
import textwrap
from pathlib import Path

from tests.web.jobs.mailbox import delivered_file
from tests.web.jobs.test_queue import _python, _stalled_pid, _stop, _wait_for, _worker

SETUP = """
import django
django.setup()
from django.core.management import call_command
from symbiose.web.territory.models import Actor, Territory
"""

REPORT_SERVER = SETUP + textwrap.dedent("""
    from symbiose.web.ledger.report.runs import report_start
    call_command("migrate", verbosity=0)
    territory = Territory.objects.create(name="Bocage", slug="bocage")
    run = report_start(territory=territory, year=2026, fmt="pdf", language="fr", by=None)
    print(run.pk, run.status, run.worker)
""")

REPORT_RESTARTED = SETUP + textwrap.dedent("""
    from symbiose.web.ledger.models import ReportRun
    from symbiose.web.ledger.report.runs import report_active, report_path
    active = report_active(territory=Territory.objects.get(slug="bocage"))
    run = ReportRun.objects.get()
    path = report_path(run)
    print(run.status, "|", run.progress, "|", run.error, "|",
          path.read_bytes()[:4].decode() if path else "no file", "|", active is not None)
""")

CAMPAIGN = 20  # more than a handful (10), even once 5 are sent: a job each time
SENDING_SERVER = SETUP + textwrap.dedent("""
    from symbiose.web.campaigns.models import Campaign
    from symbiose.web.campaigns.sending import sending_start
    from symbiose.web.campaigns.services import campaign_open
    call_command("migrate", verbosity=0)
    if not Territory.objects.exists():
        territory = Territory.objects.create(name="Bocage", slug="bocage")
        actors = Actor.objects.bulk_create(
            Actor(territory=territory, external_id=f"s{n}", name=f"Société {n}")
            for n in range(CAMPAIGN))
        campaign_open(territory=territory, actors=actors, site_url="http://bocage.example/",
                      by=None, emails={a.pk: f"{a.external_id}@bocage.example"
                                       for a in actors},
                      data={"year": 2026, "title": "Bilans 2026"})
    run = sending_start(campaign=Campaign.objects.get(), by=None)
    print(run.pk, run.status, run.worker, run.total)
""")

SENDING_RESTARTED = SETUP + textwrap.dedent("""
    from symbiose.web.campaigns.models import Campaign, OutboxMessage
    from symbiose.web.campaigns.sending import sending_active
    active = sending_active(campaign=Campaign.objects.get())
    runs = Campaign.objects.get().sending_runs.order_by("pk")
    print(" / ".join(f"{r.status} {r.sent} of {r.total}: {r.error}" for r in runs), "|",
          OutboxMessage.objects.exclude(sent_at=None).count(), "|", active is not None)
""")


def test_a_report_waits_in_the_queue_through_a_restart_and_a_worker_builds_it(
        instance: dict[str, str]) -> None:
    started = _python(REPORT_SERVER, instance)
    assert started.split()[1:] == ["queued", "queue"]  # the server then stops
    assert _python(REPORT_RESTARTED, instance).split(" | ")[0] == "queued"
    worker = _worker(instance)
    try:
        _wait_for("status = 'done'", instance, worker, table="ledger_reportrun")
    finally:
        _stop(worker)
    assert _python(REPORT_RESTARTED, instance).split(" | ") == [
        "done", "100", "", "%PDF", "False"]
    assert (Path(instance["SYMBIOSE_DATA_DIR"]) / "reports").is_dir()


def test_a_sending_lost_with_its_worker_is_resumed_without_sending_twice(
        instance: dict[str, str]) -> None:
    env = {**instance, "SYMBIOSE_EMAIL_BACKEND": "tests.web.jobs.mailbox.Recording"}
    script = f"CAMPAIGN = {CAMPAIGN}\n"
    assert _python(script + SENDING_SERVER, env).split()[1:] == [
        "queued", "queue", str(CAMPAIGN)]
    worker = _worker({**env, "SYMBIOSE_TEST_STALL_AT": "5"})
    try:
        os.kill(_stalled_pid(env, worker), signal.SIGKILL)  # the process sending
    finally:
        _stop(worker, signal.SIGKILL)  # and its supervisor: the whole worker is lost
    runs, sent, active = _python(SENDING_RESTARTED, env).split(" | ")
    assert runs.startswith(f"failed 0 of {CAMPAIGN}: The server process running it stopped")
    assert (sent, active) == ("5", "False")  # each email kept sent as it left
    # Sent again from the restarted server: only the others go.
    assert _python(script + SENDING_SERVER, env).split()[3] == str(CAMPAIGN - 5)
    worker = _worker(env)
    try:
        _wait_for("status = 'done'", env, worker, table="campaigns_sendingrun")
    finally:
        _stop(worker)
    runs, sent, active = _python(SENDING_RESTARTED, env).split(" | ")
    rest = CAMPAIGN - 5
    assert runs.split(" / ")[1] == f"done {rest} of {rest}: "
    assert (sent, active) == (str(CAMPAIGN), "False")
    addresses = delivered_file(env["SYMBIOSE_TEST_SIGNAL"]).read_text().split()
    assert sorted(addresses) == sorted(f"s{n}@bocage.example" for n in range(CAMPAIGN))
