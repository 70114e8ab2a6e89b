"""The ledger page's report built as a job: progress, then a download link; one job for a
form posted twice; a failure said in plain words; only the facilitator downloads; a
newer build replaces the older file."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from symbiose.core.errors import SymbioseError
from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.audit.models import AuditEvent
from symbiose.web.jobs import runner
from symbiose.web.ledger.models import ReportRun
from symbiose.web.ledger.report import runs
from symbiose.web.territory.models import Territory
from tests.web.ledger.conftest import Park

pytestmark = pytest.mark.django_db
FORM = {"year": "2025", "fmt": "pdf", "language": "fr"}


@pytest.fixture
def reports(settings: Any, tmp_path: Path) -> Path:
    settings.SYMBIOSE_REPORTS_DIR = str(tmp_path / "reports")
    settings.SYMBIOSE_JOBS_INLINE = True
    return tmp_path / "reports"


def _build(park: Park, role: str = "facilitator", htmx: bool = True, **form: str) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return park.client(role).post(reverse("ledger:report_build", args=[park.territory.slug]),
                                  {**FORM, **form}, headers=headers)


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("xlsx", b"PK"),
                                            ("ods", b"PK")])
def test_the_build_ends_on_a_download_link_to_the_file(park: Park, reports: Path,
                                                       fmt: str, magic: bytes) -> None:
    fragment = _build(park, fmt=fmt)
    run = ReportRun.objects.get()
    assert (run.status, run.progress, run.year, run.fmt) == ("done", 100, 2025, fmt)
    assert run.requested_by == park.users["facilitator"]
    link = reverse("ledger:report_file", args=[park.territory.slug, run.pk])
    assert fragment.status_code == 200 and f'href="{link}"' in fragment.content.decode()
    download = park.client("facilitator").get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(magic)  # type: ignore[attr-defined]
    assert f"val-2025-rapport.{fmt}" in download["Content-Disposition"]
    assert (reports / str(park.territory.pk) / f"{run.pk}.{fmt}").is_file()
    page = park.client("facilitator").get(reverse("ledger:home", args=[park.territory.slug]))
    assert 'http-equiv="refresh"' not in page.content.decode()  # done: nothing to follow
    assert AuditEvent.objects.filter(action="export", detail=f"report 2025 ({fmt})",
                                     user=park.users["facilitator"]).exists()


def test_the_page_shows_the_build_under_way_and_polls_it(park: Park, reports: Path,
                                                         settings: Any) -> None:
    settings.SYMBIOSE_JOBS_INLINE = False  # a real job: in a django_db test it never starts
    _build(park, htmx=False)
    run = ReportRun.objects.get()
    assert run.status == "queued"
    page = park.client("facilitator").get(reverse("ledger:home", args=[park.territory.slug]))
    progress = reverse("ledger:report_run", args=[park.territory.slug, run.pk])
    html = page.content.decode()
    assert f'hx-get="{progress}"' in html and "<progress" in html
    assert 'http-equiv="refresh"' in html  # without JavaScript, the page reloads itself
    assert park.client("facilitator").get(progress).status_code == 200


def test_a_form_posted_twice_while_it_runs_starts_one_job(park: Park, reports: Path,
                                                          settings: Any) -> None:
    settings.SYMBIOSE_JOBS_INLINE = False
    first, second = _build(park), _build(park, fmt="xlsx")
    assert first.status_code == second.status_code == 200
    run = ReportRun.objects.get()  # one run: the one under way is shown again
    assert run.fmt == "pdf" and run.active


def test_a_build_whose_process_died_is_said_failed_and_another_may_start(
        park: Park, reports: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stuck = ReportRun.objects.create(territory=park.territory, year=2025, fmt="pdf",
                                     status="running", progress=10,
                                     worker=f"{socket.gethostname()}:{dead}:gone")
    fragment = park.client("facilitator").get(
        reverse("ledger:report_run", args=[park.territory.slug, stuck.pk]))
    assert "n’a pas pu être construit" in fragment.content.decode()
    stuck.refresh_from_db()
    assert stuck.status == "failed" and stuck.error == runner.INTERRUPTED
    _build(park)
    assert ReportRun.objects.filter(status="done").count() == 1


def test_a_refused_build_says_why(park: Park, reports: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**_: Any) -> bytes:
        raise SymbioseError("Aucun chiffre pour 2025.")

    monkeypatch.setattr(runs, "report_file", refuse)
    fragment = _build(park).content.decode()
    run = ReportRun.objects.get()
    assert run.status == "failed" and run.error == "Aucun chiffre pour 2025."
    assert "n’a pas pu être construit" in fragment and "Aucun chiffre pour 2025." in fragment
    assert "report-download" not in fragment


def test_a_file_that_cannot_be_saved_says_so(park: Park, reports: Path,
                                             settings: Any) -> None:
    reports.parent.mkdir(parents=True, exist_ok=True)
    reports.write_text("a file where the folder should be")
    _build(park)
    run = ReportRun.objects.get()
    assert run.status == "failed" and run.error == runs.UNSAVED and not run.file_name


def test_a_tampered_form_is_refused_in_the_fragment(park: Park, reports: Path) -> None:
    fragment = _build(park, fmt="docx")
    assert "Choisissez une année, un format et une langue." in fragment.content.decode()
    assert not ReportRun.objects.exists()
    page = _build(park, htmx=False, year="1066")
    assert page.status_code == 302 and not ReportRun.objects.exists()


def test_a_crash_fails_the_build_with_a_plain_message(park: Park, reports: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(**_: Any) -> bytes:
        raise KeyError("bug")

    monkeypatch.setattr(runs, "report_file", crash)
    _build(park)
    assert ReportRun.objects.get().error == runs.CRASHED


@pytest.mark.parametrize("role", ["member", "observer"])
def test_only_the_facilitator_builds_and_downloads(park: Park, reports: Path,
                                                   role: str) -> None:
    assert _build(park, role=role).status_code == 404
    _build(park)
    run = ReportRun.objects.get()
    for url in (reverse("ledger:report_file", args=[park.territory.slug, run.pk]),
                reverse("ledger:report_run", args=[park.territory.slug, run.pk])):
        assert park.client(role).get(url).status_code == 404


def test_a_run_is_read_only_through_its_own_territory(park: Park, reports: Path) -> None:
    """A facilitator of another territory does not reach this one's file by its number."""
    _build(park)
    run = ReportRun.objects.get()
    elsewhere = Territory.objects.create(name="Ailleurs", slug="ailleurs")
    membership_set(user=park.users["observer"], territory=elsewhere, role=Role.FACILITATOR,
                   actors=[])
    url = reverse("ledger:report_file", args=["ailleurs", run.pk])
    assert park.client("observer").get(url).status_code == 404


def test_a_newer_build_replaces_the_older_file_of_its_format(park: Park,
                                                             reports: Path) -> None:
    _build(park)
    first = ReportRun.objects.get()
    for _ in range(2):
        _build(park)
    _build(park, fmt="xlsx")
    folder = reports / str(park.territory.pk)
    assert sorted(p.suffix for p in folder.iterdir()) == [".pdf", ".xlsx"]
    kept = ReportRun.objects.filter(fmt="pdf")
    assert kept.count() == 1 and (folder / kept.get().file_name).is_file()
    assert not list(folder.glob("*.part"))
    # The link of a replaced build answers 404.
    replaced = reverse("ledger:report_file", args=[park.territory.slug, first.pk])
    assert park.client("facilitator").get(replaced).status_code == 404
