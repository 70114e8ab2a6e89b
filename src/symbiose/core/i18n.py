"""Marking of strings that people will read, without importing Django.

The core never translates: it returns messages as English format strings marked with
`gettext_noop`, plus their parameters. Django's `makemessages` collects every string marked
with that name, so the web layer and the command line translate them at display time with
`gettext(message) % params`.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Return `message` unchanged; the name is what marks it for translation."""
    return message
