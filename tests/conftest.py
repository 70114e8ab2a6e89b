"""Fixtures shared by the whole suite: where the shared reference material lives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from tests.cases import SHARED

# Property tests assert behaviour, never speed: Hypothesis's default deadline of 200 ms per
# example is a timed assertion, and it failed a round trip of labels once on a loaded
# machine. Speed is measured in benchmarks/.
settings.register_profile("symbiose", deadline=None)
settings.load_profile("symbiose")


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
