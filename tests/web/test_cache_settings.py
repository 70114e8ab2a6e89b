"""Which cache a process gets: the shared Redis one when Symbiose is given a Redis (its
own `SYMBIOSE_CACHE_URL`, or else the task queue's), the process's memory otherwise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CODE = ("import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CACHES['default']))")


def _cache(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SYMBIOSE_", "DJANGO_"))},
        "SYMBIOSE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "symbiose.web.settings",
        **extra,
    }
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          env=env, timeout=120, check=True)
    found: dict[str, str] = json.loads(done.stdout)
    return found


@pytest.mark.parametrize(("extra", "location"), [
    ({"SYMBIOSE_BROKER_URL": "redis://127.0.0.1:6379/0"}, "redis://127.0.0.1:6379/0"),
    ({"SYMBIOSE_BROKER_URL": "redis://127.0.0.1:6379/0",
      "SYMBIOSE_CACHE_URL": "redis://127.0.0.1:6379/1"}, "redis://127.0.0.1:6379/1"),
    ({"SYMBIOSE_CACHE_URL": "redis://cache.example.org:6379/2"},
     "redis://cache.example.org:6379/2"),
])
def test_a_redis_given_is_the_shared_cache_under_the_instances_prefix(
        tmp_path: Path, extra: dict[str, str], location: str) -> None:
    cache = _cache(tmp_path, SYMBIOSE_QUEUE_NAME="north", **extra)
    assert cache["BACKEND"] == "symbiose.web.cache.SharedRedisCache"
    assert cache["LOCATION"] == location
    assert cache["KEY_PREFIX"] == "north-cache"


def test_without_redis_each_process_keeps_its_cache_in_memory(tmp_path: Path) -> None:
    assert _cache(tmp_path)["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
