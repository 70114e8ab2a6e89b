"""Fixtures shared by the whole suite: where the shared reference material lives."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cases import SHARED


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared folder (cases, refdata), beside the checkout."""
    if not SHARED.is_dir():
        pytest.skip(f"the shared reference folder is absent ({SHARED})")
    return SHARED


def pytest_report_header() -> str:
    """Say which database the run uses, so a CI log shows SQLite and PostgreSQL runs."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''}"
