"""A preview as stored (JSON, untranslated) and as shown (translated rows for the page).

The reader's problems and notices carry English format strings and their parameters;
they are stored as such and translated when shown, so the page speaks the reader's
language whichever language the upload was made in. Translation goes through the same
helpers as the command line's report (`territory.reporting`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from symbiose.core.bundle import Notice, Problem
from symbiose.web.transfer.importing import ImportOutcome
from symbiose.web.transfer.reporting import _message as message_text
from symbiose.web.transfer.reporting import notice_text

TABLES = ("actors", "resources", "synergies")


def preview_from_outcome(outcome: ImportOutcome) -> dict[str, Any]:
    """The JSON kept on the upload: every kept problem, notices, rows read, changes."""
    check = outcome.check
    return {
        "ok": check.ok,
        "problem_total": check.problem_total,
        "problems": [
            {"where": p.where, "message": p.message, "row": p.row, "column": p.column,
             "value": p.value, "params": p.params}
            for p in check.problems
        ],
        "notices": [{"where": n.where, "message": n.message, "params": n.params}
                    for n in check.notices],
        "counts": dict(check.counts),
        "changes": {table: dict(counts) for table, counts in outcome.changes.items()},
    }


@dataclass(frozen=True)
class ProblemRow:
    where: str
    row: int | None
    column: str
    value: str
    message: str


@dataclass(frozen=True)
class TableRow:
    name: str
    read: int
    created: int | None
    updated: int | None
    unchanged: int | None


@dataclass(frozen=True)
class ShownPreview:
    ok: bool
    notices: list[str]
    problems: list[ProblemRow]
    problem_total: int
    problems_hidden: int
    tables: list[TableRow]


def _table_label(name: str) -> str:
    return {"actors": gettext("Actors"), "resources": gettext("Resources"),
            "synergies": gettext("Synergies")}.get(name, name)


def shown(data: dict[str, Any], changes: dict[str, Any] | None = None) -> ShownPreview:
    """The stored preview, translated; `changes` (an import's result) replaces the
    dry run's counts when given."""
    problems = [Problem(p["where"], p["message"], p["row"], p["column"], p["value"],
                        p.get("params") or {}) for p in data.get("problems", [])]
    notices = [Notice(n["where"], n["message"], n.get("params") or {})
               for n in data.get("notices", [])]
    counts: dict[str, int] = data.get("counts", {})
    changed: dict[str, dict[str, int]] = changes if changes is not None else data.get(
        "changes", {})
    tables = []
    for name in TABLES:
        read = counts.get(name, 0)
        table_changes = changed.get(name)
        if not read and not table_changes:
            continue
        tables.append(TableRow(
            _table_label(name), read,
            *((table_changes.get("created", 0), table_changes.get("updated", 0),
               table_changes.get("unchanged", 0)) if table_changes else (None, None, None))))
    total = int(data.get("problem_total", 0))
    return ShownPreview(
        ok=bool(data.get("ok")),
        notices=[notice_text(notice) for notice in notices],
        problems=[ProblemRow(p.where, p.row, p.column or "", p.value or "",
                             message_text(p.message, p.params)) for p in problems],
        problem_total=total,
        problems_hidden=max(total - len(problems), 0),
        tables=tables,
    )
