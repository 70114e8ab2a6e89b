"""Reading the packaged CSV tables, once each, from inside the installed package."""

from __future__ import annotations

import csv
import io
from importlib.resources import files

DATA_PACKAGE = "symbiose.core.nomenclature.data"


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of `data/<name>` as dictionaries; callers cache what they build from them."""
    return list(csv.DictReader(io.StringIO(read_text(name), newline="")))


def read_text(name: str) -> str:
    """The whole text of `data/<name>` (the pint definitions file)."""
    return files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
