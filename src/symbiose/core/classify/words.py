"""The everyday words of French and English, folded as labels are: what is not a typo.

The text index forgives typos ("palletes", "cartnos") by matching a label's token to the
vocabulary token it resembles. A real word that merely resembles one is not a typo of it:
"stream" is not "steam", "manuel" not "manure", "clients" not "ciment", "boules de coton"
not "boues". The word lists are pyspellchecker's (MIT), built from the OpenSubtitles
frequency lists; they are read once, on the first token that needs them.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path

from platformdirs import user_cache_path

from symbiose.core.classify.text import unaccented

LANGUAGES = ("fr", "en")
_LONG_STEM = 6  # letters from which a last letter may differ ("separe", "separate")


@cache
def real_words() -> frozenset[str]:
    """Every alphabetic word of the French and English lists, lower case, no accents.

    Kept folded in the user's cache folder once made (a tenth of the second it takes to
    make: a command on a region feels it), per version of the lists; a cache that cannot
    be read or written costs that second, nothing else."""
    cached = user_cache_path("symbiose", appauthor=False) / f"words-{_lists_version()}.txt"
    try:
        return frozenset(cached.read_text(encoding="utf-8").split("\n"))
    except (OSError, UnicodeDecodeError):
        pass
    words = _folded_lists()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        # Written aside, then renamed: a reader never sees half a list.
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cached.parent,
                                         suffix=".part", delete=False) as handle:
            part = Path(handle.name)
            try:
                handle.write("\n".join(sorted(words)))
            except OSError:
                part.unlink(missing_ok=True)  # a full disk: no half list left behind
                raise
        part.replace(cached)
    except OSError:
        pass
    return words


def _lists_version() -> str:
    try:
        return version("pyspellchecker")
    except PackageNotFoundError:  # pragma: no cover - a source checkout without metadata
        return "unknown"


def _folded_lists() -> frozenset[str]:
    """The lists folded in one call over their joined words, not word by word (300,000
    words, which `fold`'s cache need not hold): for a word of letters alone,
    `text.unaccented` is `text.fold`."""
    words: list[str] = []
    for language in LANGUAGES:
        resource = files("spellchecker").joinpath("resources", f"{language}.json.gz")
        with resource.open("rb") as raw, gzip.open(raw) as handle:
            words.extend(word for word in json.load(handle) if word.isalpha())
    return frozenset(unaccented("\n".join(words)).split("\n"))


def is_variant(word: str, of: str) -> bool:
    """Whether `word` is `of` with another ending ("baled" of "bale", "collectees" of
    "collecte", "separate" of "separe"): the shorter shared from the start, all of it
    when it is short ("boule" is not "boue"), all but its last letter when it is not."""
    shared = 0
    for a, b in zip(word, of, strict=False):
        if a != b:
            break
        shared += 1
    shorter = min(len(word), len(of))
    return shared >= (shorter if shorter < _LONG_STEM else shorter - 1)
