"""A real Chromium (Debian's package) driven by Playwright, and a real demo server."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.browser.demo import DemoServer

EXPECT_TIMEOUT_MS = 60_000
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    message = "Debian's chromium is not installed (apt-get install chromium)"
    if os.environ.get("SYMBIOSE_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    executable = _chromium()
    # A page that follows a click may still be loading when a test reads it, all the more
    # when CI runs two suites on one machine: the tests read it through web-first
    # assertions, which retry until this timeout instead of counting what is there now.
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    # Playwright's synchronous API keeps an event loop running in this thread, which
    # Django takes for async code; the tests' own ORM calls (seeding the database a
    # live server reads) are plain synchronous code all the same.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """`symbiose demo` exactly as the README says, on its embedded SQLite default."""
    data = tmp_path_factory.mktemp("demo-data")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SYMBIOSE_DATA_DIR=str(data), SYMBIOSE_LANGUAGE="fr", PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "symbiose", "demo", "--port", str(_free_port())],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    lines: list[str] = []
    url = username = password = ""
    accounts: dict[str, tuple[str, str]] = {}
    deadline = time.monotonic() + 120
    assert process.stdout is not None
    while time.monotonic() < deadline and not url:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if found := re.search(r"Identifiant\s*:\s*(\S+)", line):
            username = found.group(1)
        if found := re.search(r"Mot de passe\s*:\s*(\S+)", line):
            password = found.group(1)
        if found := re.search(r"\[(\w+)\]\s*:\s*(\S+)\s*/\s*(\S+)", line):
            accounts[found.group(1)] = (found.group(2), found.group(3))
        if found := re.search(r"(http://\S+)", line):
            url = found.group(1)
    if not url:
        process.kill()
        pytest.fail("symbiose demo printed no address:\n" + "".join(lines))
    # The address is printed just before the server binds its port: wait until it answers.
    port = urlsplit(url).port or 80
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    try:
        yield DemoServer(url, username, password, "".join(lines), accounts)
    finally:
        process.terminate()
        process.wait(timeout=20)
