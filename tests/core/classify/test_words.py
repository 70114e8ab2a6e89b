"""Real words are not typos: the word lists, their cache, and what the classifier makes of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from symbiose.core.classify import classify
from symbiose.core.classify.words import _folded_lists, is_variant, real_words


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    real_words.cache_clear()
    yield tmp_path / "cache" / "symbiose"
    real_words.cache_clear()


def test_the_lists_hold_everyday_words_folded_and_no_typos(fresh_cache: Path) -> None:
    words = real_words()
    for word in ("stream", "manuel", "boule", "client", "livree", "reacteur", "foret"):
        assert word in words
    for typo in ("palletes", "cartnos", "steem"):
        assert typo not in words


def test_the_folded_lists_are_kept_and_read_back_the_same(fresh_cache: Path) -> None:
    made = real_words()
    kept = list(fresh_cache.glob("words-*.txt"))
    assert len(kept) == 1
    real_words.cache_clear()
    assert real_words() == made == _folded_lists()


def test_a_broken_or_unwritable_cache_costs_time_not_the_words(
        fresh_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = real_words()
    for kept in fresh_cache.glob("words-*.txt"):
        kept.write_bytes(b"\xff\xfe not text")
    real_words.cache_clear()
    assert real_words() == made
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    real_words.cache_clear()
    assert real_words() == made


@pytest.mark.parametrize(("word", "of", "expected"), [
    ("baled", "bale", True),
    ("collectee", "collecte", True),
    ("thermally", "thermal", True),
    ("stream", "steam", False),
    ("manuel", "manure", False),
    ("client", "ciment", False),
    ("million", "milling", False),
    ("separate", "separe", True),
    ("boule", "boue", False),
    ("house", "housse", False),
])
def test_a_variant_shares_the_shorter_word_but_perhaps_its_last_letter(
        word: str, of: str, expected: bool) -> None:
    assert is_variant(word, of) is expected


def test_real_words_resembling_the_vocabulary_are_not_read_as_it() -> None:
    assert classify("Reconditionnement manuel des produits en petits lots").class_id != "manure"
    cotton = classify("Stocks invendables de boules de coton bio, sachets biodégradables")
    assert cotton.class_id == "textiles"
    assert "sewage_sludge" not in dict(cotton.alternatives)
    # Typos are still forgiven, and a real word still reads as the word it inflects.
    assert classify("palletes").class_id == "pallets"
    assert classify("cartnos").class_id == "cardboard"
    assert classify("Baled cardboard from the warehouse").class_id == "cardboard"
