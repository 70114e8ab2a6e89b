"""The import page: upload, preview with row-by-row problems, confirm once."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.audit.models import AuditEvent
from symbiose.web.territory.models import Actor, Resource, Territory
from symbiose.web.transfer import services
from symbiose.web.transfer.models import BundleUpload
from tests.web.bundles import snapshot
from tests.web.transfer.uploads import (
    ACTORS,
    BAD_RESOURCES,
    clean_workbook,
    clean_xlsx,
    csv_file,
    upload,
)

pytestmark = pytest.mark.django_db

def test_page_shows_upload_form_and_downloads(facilitator: Client,
                                              territory: Territory) -> None:
    response = facilitator.get(reverse("transfer:import", args=[territory.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="upload-form"' in html and 'enctype="multipart/form-data"' in html
    assert 'name="bundle"' in html and "multiple" in html and 'name="year"' in html
    assert reverse("transfer:export_xlsx", args=[territory.slug]) in html
    assert reverse("transfer:export_zip", args=[territory.slug]) in html


def test_malformed_csv_preview_lists_each_problem_and_writes_nothing(
        facilitator: Client, territory: Territory, uploads_dir: Path) -> None:
    before = snapshot()
    response = upload(facilitator, territory, csv_file("actors.csv", ACTORS),
                      csv_file("resources.csv", BAD_RESOURCES))
    assert response.status_code == 302
    page = facilitator.get(response["Location"])  # type: ignore[index]
    html = page.content.decode()
    problems = page.context["preview"].problems
    assert {(p.where, p.row, p.column, p.value) for p in problems} == {
        ("resources.csv", 2, "quantity", "-5"),
        ("resources.csv", 3, "ewc", "99 99 99"),
        ("resources.csv", 4, "unit", "bananes"),
    }
    assert "negative" in html and "unknown waste code" in html and "unknown unit" in html
    assert 'id="problems"' in html
    assert 'id="confirm-import"' not in html
    assert "nothing was written" in html
    assert snapshot() == before
    assert not Actor.objects.filter(external_id="a3").exists()
    # A confirmation forced by hand is refused as well: the preview found problems.
    upload_row = BundleUpload.objects.get()
    facilitator.post(reverse("transfer:confirm", args=[territory.slug, upload_row.pk]))
    assert snapshot() == before
    assert (uploads_dir / str(upload_row.pk)).is_dir()


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_clean_workbook_preview_counts_then_confirm_imports(
        facilitator: Client, territory: Territory, tmp_path: Path, uploads_dir: Path,
        django_capture_on_commit_callbacks: Any, suffix: str) -> None:
    response = upload(facilitator, territory, clean_workbook(tmp_path, suffix))
    page = facilitator.get(response["Location"])  # type: ignore[index]
    html = page.content.decode()
    assert page.context["preview"].ok
    counts = {row.name: (row.read, row.created, row.updated) for row in
              page.context["preview"].tables}
    assert counts["Actors"] == (2, 1, 1)
    assert counts["Resources"] == (1, 1, 0)
    assert 'id="confirm-import"' in html
    assert not Actor.objects.filter(external_id="a3").exists()  # a preview writes nothing

    stored = BundleUpload.objects.get()
    confirm_url = reverse("transfer:confirm", args=[territory.slug, stored.pk])
    with django_capture_on_commit_callbacks(execute=True):
        result = facilitator.post(confirm_url)
    assert result.status_code == 302
    done = facilitator.get(result["Location"])  # type: ignore[index]
    done_html = done.content.decode()
    assert 'id="import-result"' in done_html
    assert reverse("dashboard:home", args=[territory.slug]) in done_html
    assert 'id="confirm-import"' not in done_html
    assert Actor.objects.get(external_id="a3").name == "Scierie Test"
    assert Actor.objects.get(external_id="a1").name == "Fonderie Test renamed"
    assert Resource.objects.filter(actor__external_id="a3", year=2026).count() == 1
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, username="camille",
                                     actor__external_id="a3").exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT, username="camille",
                                     actor=None, detail__contains=f"clean{suffix}").count() == 1
    assert not (uploads_dir / str(stored.pk)).exists()  # files gone once imported

    # A second confirmation (double click, reload) imports nothing more.
    before = snapshot()
    again = facilitator.post(confirm_url)
    assert again.status_code == 302
    assert snapshot() == before
    assert BundleUpload.objects.get().imported


def test_confirm_refused_for_another_user_or_territory(
        facilitator: Client, territory: Territory, tmp_path: Path) -> None:
    upload(facilitator, territory, clean_xlsx(tmp_path))
    stored = BundleUpload.objects.get()
    colleague = User.objects.create_user("dominique", password="pw-for-tests-1")
    membership_set(user=colleague, territory=territory, role=Role.FACILITATOR)
    other = Territory.objects.create(name="Ailleurs", slug="ailleurs")
    membership_set(user=colleague, territory=other, role=Role.FACILITATOR)
    client = Client()
    client.force_login(colleague)
    before = snapshot()
    for slug in (territory.slug, other.slug):
        assert client.post(reverse("transfer:confirm", args=[slug, stored.pk])
                           ).status_code == 404
        assert client.get(reverse("transfer:preview", args=[slug, stored.pk])
                          ).status_code == 404
    assert snapshot() == before
    # Its author, through another territory's address, is refused too.
    camille = User.objects.get(username="camille")
    membership_set(user=camille, territory=other, role=Role.FACILITATOR)
    assert facilitator.post(reverse("transfer:confirm", args=[other.slug, stored.pk])
                            ).status_code == 404
    assert snapshot() == before


def test_confirm_answers_post_only(facilitator: Client, territory: Territory,
                                   tmp_path: Path) -> None:
    upload(facilitator, territory, clean_xlsx(tmp_path))
    stored = BundleUpload.objects.get()
    assert facilitator.get(reverse("transfer:confirm", args=[territory.slug, stored.pk])
                           ).status_code == 405
    assert not Actor.objects.filter(external_id="a3").exists()


def test_windows_1252_csv_is_read_and_reported(facilitator: Client,
                                               territory: Territory) -> None:
    actors = "id;name;naf;kind;lat;lon\na3;Scierie Vérité;16.10A;company;47,2;3,1\n"
    response = upload(facilitator, territory, csv_file("actors.csv", actors, "cp1252"))
    page = facilitator.get(response["Location"])  # type: ignore[index]
    html = page.content.decode()
    assert page.context["preview"].ok
    assert "Windows-1252" in html
    assert "“;”" in html and "decimal comma" in html
    facilitator.post(reverse("transfer:confirm",
                             args=[territory.slug, BundleUpload.objects.get().pk]))
    assert Actor.objects.get(external_id="a3").name == "Scierie Vérité"


def test_refusals_say_why_beside_the_field(facilitator: Client, territory: Territory) -> None:
    cases = [
        (SimpleUploadedFile("actors.csv", b""), "empty (0 bytes)"),
        (SimpleUploadedFile("report.pdf", b"%PDF-1.4 ..."), "is not a bundle file"),
    ]
    for uploaded, message in cases:
        response = upload(facilitator, territory, uploaded)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "errorlist" in response.content.decode()
    missing = facilitator.post(reverse("transfer:import", args=[territory.slug]),
                               {"year": 2026})
    assert "Choose the file or files to import." in missing.content.decode()
    bad_year = upload(facilitator, territory, csv_file("actors.csv", ACTORS), year=1200)
    assert bad_year.status_code == 400
    assert not BundleUpload.objects.exists()


def test_too_large_and_mixed_uploads_are_refused(facilitator: Client, territory: Territory,
                                                 tmp_path: Path, settings: Any) -> None:
    limit = settings.SYMBIOSE_UPLOAD_MAX_BYTES
    settings.SYMBIOSE_UPLOAD_MAX_BYTES = 10
    html = upload(facilitator, territory, csv_file("actors.csv", ACTORS)).content.decode()
    assert "the limit is 10" in html
    settings.SYMBIOSE_UPLOAD_MAX_BYTES = limit
    html = upload(facilitator, territory, clean_xlsx(tmp_path),
                  csv_file("actors.csv", ACTORS)).content.decode()
    assert "CSV files only" in html
    assert not BundleUpload.objects.exists()


def test_unreadable_zip_is_a_problem_not_an_error(facilitator: Client,
                                                  territory: Territory) -> None:
    response = upload(facilitator, territory, SimpleUploadedFile("bundle.zip", b"not a zip"))
    page = facilitator.get(response["Location"])  # type: ignore[index]
    assert page.status_code == 200
    assert not page.context["preview"].ok
    assert "not a readable .zip" in page.content.decode()


def test_member_and_observer_get_404(member: Client, observer: Client,
                                     facilitator: Client, territory: Territory,
                                     tmp_path: Path) -> None:
    upload(facilitator, territory, clean_xlsx(tmp_path))
    stored = BundleUpload.objects.get()
    for client in (member, observer):
        assert client.get(reverse("transfer:import", args=[territory.slug])).status_code == 404
        assert upload(client, territory, csv_file("actors.csv", ACTORS)
                      ).status_code == 404  # type: ignore[attr-defined]
        assert client.get(reverse("transfer:preview", args=[territory.slug, stored.pk])
                          ).status_code == 404
        assert client.post(reverse("transfer:confirm", args=[territory.slug, stored.pk])
                           ).status_code == 404
    assert not Actor.objects.filter(external_id="a3").exists()


def test_anonymous_is_sent_to_log_in(territory: Territory) -> None:
    response = Client().get(reverse("transfer:import", args=[territory.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_uploads_older_than_a_day_are_cleaned(facilitator: Client, territory: Territory,
                                              tmp_path: Path, uploads_dir: Path) -> None:
    upload(facilitator, territory, clean_xlsx(tmp_path))
    stored = BundleUpload.objects.get()
    orphan = uploads_dir / "left-behind"
    orphan.mkdir()
    assert services.uploads_purge_stale() == 0
    assert (uploads_dir / str(stored.pk)).is_dir() and orphan.is_dir()
    later = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert services.uploads_purge_stale(now=later) == 1
    assert not BundleUpload.objects.exists()
    assert not (uploads_dir / str(stored.pk)).exists()
    assert not orphan.exists()


def test_first_thousand_problems_listed_the_rest_counted(
        facilitator: Client, territory: Territory,
        django_assert_max_num_queries: Any) -> None:
    rows = "".join(f"a3,out,Sciure {n},material,,-{n + 1},t\n" for n in range(1500))
    response = upload(facilitator, territory, csv_file("actors.csv", ACTORS),
                      csv_file("resources.csv", "actor_id,direction,label,kind,ewc,quantity,"
                                                "unit\n" + rows))
    with django_assert_max_num_queries(8):
        page = facilitator.get(response["Location"])  # type: ignore[index]
    preview = page.context["preview"]
    assert (len(preview.problems), preview.problem_total, preview.problems_hidden) == (
        1000, 1500, 500)
    assert 'id="problems-hidden"' in page.content.decode()
    assert page.content.decode().count("<tr>") >= 1000
