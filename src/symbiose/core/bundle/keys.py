"""The resource keys seen so far in a pass, kept on disk rather than in memory.

Duplicate resource ids must be found over the whole file, so every (id, year) seen has to
be remembered; in a Python set that costs ~150 bytes a row, 100 MB for a 50 MB file. A
temporary SQLite database (the standard library's, spilled to a temporary file past a
small page cache) remembers them exactly with flat memory. It also numbers the repeats
of a derived id ("-2", "-3") in file order, so two passes derive the same ids.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Sequence
from types import TracebackType

# Labels folded together by `label_digests` (a slice's text stays a few MB).
_DIGEST_SLICE = 50_000
_NOT_ASCII = re.compile("[^\\x00-\\x7f]")


def derived_id(actor_id: str, direction: str, label: str) -> str:
    """A stable resource id for a row that gives none: the same actor, direction and label
    (whatever their case, accents or spacing) give the same id at every import."""
    return f"{actor_id}-{direction}-{label_digest(label)}"


@functools.cache
def _combining() -> dict[int, None]:
    """Every combining mark, for str.translate to drop them in one C call: a national
    extract derives a million ids."""
    return {point: None for point in range(sys.maxunicode + 1)
            if unicodedata.combining(chr(point))}


@functools.cache
def _combining_marks() -> frozenset[str]:
    return frozenset(map(chr, _combining()))


def label_digest(label: str) -> str:
    """The part of a derived id that the label gives (folded: case, accents, spacing)."""
    folded = label.casefold()
    if not folded.isascii():  # ASCII has no accent to take off
        folded = unicodedata.normalize("NFKD", folded).translate(_combining())
    return hashlib.blake2b(" ".join(folded.split()).encode(), digest_size=4).hexdigest()


def label_digests(labels: Sequence[str]) -> list[str]:
    """`label_digest` of each label, folded a slice of labels at a time: a national
    extract has a million distinct labels, and folding one text of a slice (case, then
    NFKD, then each combining mark it holds dropped by one `str.replace`) is a few C calls
    instead of a million of each. Exact, because case folding and NFKD work character by
    character and no mark reorders across the NUL between two labels (a label holding a
    NUL is folded alone)."""
    if any("\x00" in label for label in labels):
        return [label_digest(label) for label in labels]
    digests: list[str] = []
    blake2b = hashlib.blake2b
    for start in range(0, len(labels), _DIGEST_SLICE):
        folded = "\x00".join(labels[start:start + _DIGEST_SLICE]).casefold()
        if not folded.isascii():
            folded = unicodedata.normalize("NFKD", folded)
            for mark in _combining_marks().intersection(_NOT_ASCII.findall(folded)):
                folded = folded.replace(mark, "")
        digests.extend([blake2b(" ".join(part.split()).encode(), digest_size=4).hexdigest()
                        for part in folded.split("\x00")])
    return digests


class KeyRegistry:
    """(resource id, year) -> the row that first used it, for one pass over a table."""

    def __init__(self) -> None:
        # "" names a private temporary database, deleted on close.
        self._db = sqlite3.connect("")
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -2048;
            CREATE TABLE seen (id TEXT, year INTEGER, row INTEGER, derived INTEGER,
                               PRIMARY KEY (id, year)) WITHOUT ROWID;
            CREATE TABLE repeats (base TEXT, year INTEGER, n INTEGER,
                                  PRIMARY KEY (base, year)) WITHOUT ROWID;
            """
        )

    def claim(self, key: str, year: int, row: int, *, derived: bool = False) -> int | None:
        """Record the key; the row that used it first if it was already taken."""
        inserted = self._db.execute(
            "INSERT OR IGNORE INTO seen VALUES (?, ?, ?, ?)", (key, year, row, derived)
        ).rowcount
        if inserted:
            return None
        first = self._db.execute(
            "SELECT row FROM seen WHERE id = ? AND year = ?", (key, year)
        ).fetchone()
        return int(first[0])

    def derive(self, base: str, year: int, row: int) -> str:
        """`base` the first time, then `base-2`, `base-3`... skipping ids already taken.
        The common case (a label seen once) costs one statement."""
        if self.claim(base, year, row, derived=True) is None:
            return base
        while True:
            (n,) = self._db.execute(
                "INSERT INTO repeats VALUES (?, ?, 2) ON CONFLICT (base, year) "
                "DO UPDATE SET n = n + 1 RETURNING n",
                (base, year),
            ).fetchone()
            key = f"{base}-{n}"
            if self.claim(key, year, row, derived=True) is None:
                return key

    def derived(self, key: str, year: int) -> bool:
        """Whether a taken key was derived for a row that gives no id."""
        found = self._db.execute(
            "SELECT derived FROM seen WHERE id = ? AND year = ?", (key, year)
        ).fetchone()
        return bool(found and found[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> KeyRegistry:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
