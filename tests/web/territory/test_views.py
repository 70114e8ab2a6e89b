"""The first pages: territory list, overview and actor page, in French and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.territory.models import Territory
from symbiose.web.transfer import importing
from tests.web.bundles import write_bundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory(tmp_path: Path) -> Territory:
    bundle = write_bundle(tmp_path / "b")
    importing.bundle_import(territory_name="Vallée Test", path=bundle, default_year=2025)
    edited = (tmp_path / "b" / "resources.csv").read_text(encoding="utf-8")
    (tmp_path / "b" / "resources.csv").write_text(edited.replace("4200", "3900"),
                                                  encoding="utf-8")
    importing.bundle_import(territory_name="Vallée Test", path=bundle, default_year=2026)
    return Territory.objects.get(name="Vallée Test")


@pytest.fixture
def facilitator_client(client: Client, territory: Territory) -> Client:
    user = User.objects.create_user("camille", password="pw-for-tests-1", is_staff=True)
    membership_set(user=user, territory=territory, role=Role.FACILITATOR)
    client.force_login(user)
    return client


def test_pages_require_login(client: Client, territory: Territory) -> None:
    for url in (
        reverse("territory:list"),
        reverse("dashboard:home", args=[territory.slug]),
        reverse("territory:actor", args=[territory.slug, "a1"]),
        reverse("transfer:export_xlsx", args=[territory.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_home_shows_counts_and_kinds_without_the_actor_table(facilitator_client: Client,
                                                              territory: Territory) -> None:
    response = facilitator_client.get(reverse("dashboard:home", args=[territory.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    # The directory has its own page now; the home page shows figures.
    assert "Fonderie Test" not in html and "Ferme Test" not in html
    assert "Exploitation agricole" in html  # French by default
    assert "ressources enregistrées en 2026" in html
    overview = response.context["overview"]
    assert (overview.actor_count, overview.resource_count) == (2, 3)
    assert (overview.output_count, overview.input_count) == (2, 1)


def test_overview_queries_do_not_grow_with_actors(facilitator_client: Client,
                                                  territory: Territory,
                                                  django_assert_max_num_queries: object) -> None:
    url = reverse("dashboard:home", args=[territory.slug])
    # A fixed set of aggregates (figures, programme, metabolism, freshness), none per actor.
    with django_assert_max_num_queries(22):  # type: ignore[operator]
        facilitator_client.get(url)


def test_actor_page_shows_balance_by_year_with_history(facilitator_client: Client,
                                                       territory: Territory) -> None:
    response = facilitator_client.get(reverse("territory:actor", args=[territory.slug, "a1"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert [year for year, _, _ in response.context["balances"]] == [2026, 2025]
    assert html.index("Année 2026") < html.index("Année 2025")
    assert "10 10 08" in html  # EWC code shown in its usual spelling
    assert "3 900" in html or "3\u00a0900" in html  # 2026 quantity, French grouping
    assert "historique" in html


def test_unknown_actor_and_territory_are_404(facilitator_client: Client,
                                             territory: Territory) -> None:
    assert facilitator_client.get(
        reverse("territory:actor", args=[territory.slug, "nobody"])).status_code == 404
    assert facilitator_client.get(
        reverse("dashboard:home", args=["nowhere"])).status_code == 404


def test_english_on_request(facilitator_client: Client, territory: Territory) -> None:
    response = facilitator_client.get(
        reverse("dashboard:home", args=[territory.slug]), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "Farm" in html and "resources recorded in 2026" in html


def test_user_text_is_escaped(facilitator_client: Client, territory: Territory) -> None:
    # The territory's description is user text shown on the home page.
    territory.description = "<script>alert(1)</script>"
    territory.save()
    html = facilitator_client.get(
        reverse("dashboard:home", args=[territory.slug])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_export_downloads_an_xlsx_bundle(facilitator_client: Client, territory: Territory,
                                         tmp_path: Path) -> None:
    from openpyxl import load_workbook

    response = facilitator_client.get(reverse("transfer:export_xlsx", args=[territory.slug]))
    assert response.status_code == 200
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    book = load_workbook(path, read_only=True)
    assert {"actors", "resources"} <= set(book.sheetnames)


def test_stylesheet_is_served_without_collectstatic(client: Client) -> None:
    response = client.get("/static/symbiose/app.css")
    assert response.status_code == 200
    assert b"--accent" in b"".join(response.streaming_content)  # type: ignore[attr-defined]
