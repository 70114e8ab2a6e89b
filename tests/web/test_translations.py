"""French is the interface's first language: every marked string has its translation."""

from __future__ import annotations

import ast
from pathlib import Path

import polib

import symbiose

SRC = Path(symbiose.__file__).resolve().parent
PO = SRC / "web" / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def test_every_french_entry_is_translated() -> None:
    untranslated = [e.msgid for e in _catalogue() if not e.translated() or e.fuzzy]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source() -> None:
    compiled = polib.mofile(str(PO.with_suffix(".mo")))
    # Keyed by context too: "year" alone and "year" in "t/year" translate differently.
    assert {(e.msgctxt, e.msgid): e.msgstr for e in compiled if not e.msgid_plural} == {
        (e.msgctxt, e.msgid): e.msgstr
        for e in _catalogue() if not e.msgid_plural and not e.obsolete
    }


def test_core_messages_are_in_the_catalogue() -> None:
    """The core marks its messages with gettext_noop; each must reach the catalogue."""
    known = {e.msgid for e in _catalogue()}
    marked: set[str] = set()
    for module in (SRC / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "gettext_noop" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                marked.add(str(node.args[0].value))
    assert marked, "no gettext_noop call found: the scan is broken"
    assert sorted(marked - known) == []
