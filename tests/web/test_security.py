"""Production settings: `check --deploy` is clean, cookies are secure, secrets required."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.web.routes import every_url


def _django(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    # A production process starts without this session's settings: neither the
    # SYMBIOSE_* of the test run nor a DJANGO_* flag a browser fixture set for itself.
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SYMBIOSE_", "DJANGO_"))},
        "SYMBIOSE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "symbiose.web.settings",
        **extra,
    }
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


PRODUCTION = {"SYMBIOSE_PRODUCTION": "1", "SYMBIOSE_ALLOWED_HOSTS": "symbiose.example.org"}


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _django(["-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                     tmp_path, SYMBIOSE_SECRET_KEY=secrets.token_urlsafe(60), **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure(tmp_path: Path) -> None:
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
            "s.SESSION_COOKIE_HTTPONLY, s.DEBUG, s.SECURE_HSTS_SECONDS > 0)")
    result = _django(["-c", code], tmp_path, SYMBIOSE_SECRET_KEY=secrets.token_urlsafe(60),
                     **PRODUCTION)
    assert result.stdout.split() == ["True"] * 4 + ["False", "True"], result.stderr


def test_production_refuses_to_start_without_a_secret_or_with_debug(tmp_path: Path) -> None:
    code = "import django; django.setup()"
    missing = _django(["-c", code], tmp_path, **PRODUCTION)
    assert missing.returncode != 0 and "SYMBIOSE_SECRET_KEY" in missing.stderr
    debug = _django(["-c", code], tmp_path, SYMBIOSE_SECRET_KEY=secrets.token_urlsafe(60),
                    SYMBIOSE_DEBUG="1", **PRODUCTION)
    assert debug.returncode != 0 and "SYMBIOSE_DEBUG" in debug.stderr


@pytest.mark.django_db
def test_every_page_forbids_inline_script(client: Client) -> None:
    """The Content-Security-Policy header is on every page of the site, for a signed-in
    facilitator as for a visitor, and never allows inline or evaluated script."""
    from tests.web.accounts.seed import seed_marked

    seeded = seed_marked()
    values = {"slug": [seeded.t1.slug], "actor_id": ["alpha"], "year": ["2026"]}
    urls = [u for u in every_url(lambda name, _route: values.get(name, []))
            if not u.endswith("/logout/")]
    assert len(urls) > 20
    client.force_login(seeded.users["facilitator"])
    pages = 0
    for url in urls:
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        policy = dict(part.strip().split(" ", 1) for part in
                      response["Content-Security-Policy"].split(";") if part.strip())
        assert policy["script-src"] == "'self'", url
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'", url
    assert pages > 15


def test_map_tile_server_is_the_only_foreign_image_source() -> None:
    from symbiose.web.environment import url_origins

    assert url_origins("https://{s}.tile.example.org/{z}/{x}/{y}.png") == [
        "https://*.tile.example.org"]
    assert url_origins("https://tiles.example.org:8443/a/{z}/{x}/{y}.png") == [
        "https://tiles.example.org:8443"]
    assert url_origins("/tiles/{z}/{x}/{y}.png") == []
