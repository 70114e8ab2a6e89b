"""The cache shared by every web process and worker when Symbiose is given a Redis
(`SYMBIOSE_CACHE_URL`, by default the task queue's `SYMBIOSE_BROKER_URL`): what one
process computed, another reads, and a restart finds it still there.

Django's Redis backend empties its cache with FLUSHDB, which would also drop the task
queue's messages and another instance's entries kept in the same Redis database. This
one deletes only the keys under its own prefix."""

from __future__ import annotations

import re

from django.core.cache.backends.redis import RedisCache

# Keys deleted per round trip when the cache is emptied.
_BATCH = 500


class SharedRedisCache(RedisCache):
    def clear(self) -> None:
        if not self.key_prefix:
            raise ValueError("a shared Redis cache needs a KEY_PREFIX to empty only its keys")
        client = self._cache.get_client(None, write=True)
        batch: list[bytes] = []
        prefix = re.sub(r"([*?\[\]\\])", r"\\\1", self.key_prefix)  # as a glob, literally
        for key in client.scan_iter(match=f"{prefix}:*", count=_BATCH):
            batch.append(key)
            if len(batch) >= _BATCH:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)
