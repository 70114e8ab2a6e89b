"""Formula injection: text that a spreadsheet would run must reach it as plain text.

A label such as "=HYPERLINK(...)", "+33 6 ..." or "@SUM(...)" typed by one actor would be
executed by the spreadsheet of whoever opens the export (OWASP "CSV injection"). The
exporter prefixes such text with an apostrophe, which spreadsheets read as "this is text";
the importer removes it again. Texts that already start with apostrophes before such a
character get one more, so `restore(neutralise(text)) == text` for every text.
"""

from __future__ import annotations

import re

TRIGGERS = "=+-@\t\r"
_NEEDS_PREFIX = re.compile(r"'*[=+\-@\t\r]")
_PREFIXED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """The text as written to a CSV cell or an xlsx string cell."""
    return "'" + text if _NEEDS_PREFIX.match(text) else text


def restore(text: str) -> str:
    """The text as it was before `neutralise` (a cell read from a bundle)."""
    return text[1:] if _PREFIXED.match(text) else text
