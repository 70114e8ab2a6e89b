"""The instance a worker test plays: its environment, with a queue of its own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[3]
BROKER = "redis://127.0.0.1:6379/0"


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of one instance with its own queue; the queue's keys removed
    afterwards."""
    queue = f"symbiose-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'instance.sqlite3'}",
           "SYMBIOSE_DATA_DIR": str(tmp_path), "SYMBIOSE_BROKER_URL": BROKER,
           "SYMBIOSE_QUEUE_NAME": queue, "DJANGO_SETTINGS_MODULE": "symbiose.web.settings",
           "SYMBIOSE_TEST_SIGNAL": str(tmp_path / "written"),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop("SYMBIOSE_JOBS_INLINE", None)
    yield env
    client = redis.Redis.from_url(BROKER)
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)
