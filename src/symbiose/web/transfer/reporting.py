"""Import reports in the reader's language: the core's problems and notices, translated."""

from __future__ import annotations

from django.utils.translation import gettext

from symbiose.core.bundle.problems import Notice, Problem
from symbiose.web.transfer.importing import ImportOutcome


def _message(message: str, params: dict[str, str]) -> str:
    text = gettext(message)
    try:
        return text % params if params else text
    except (KeyError, ValueError, TypeError):
        # A translation that lost a placeholder must not hide the problem itself.
        return message % params if params else message


def problem_text(problem: Problem) -> str:
    """“resources.csv, row 12, column “quantity” (value “-3”): …” in the active language."""
    place = [problem.where]
    if problem.row is not None:
        place.append(gettext("row %(row)d") % {"row": problem.row})
    if problem.column:
        place.append(gettext("column “%(column)s”") % {"column": problem.column})
    where = ", ".join(place)
    if problem.value not in (None, ""):
        where += " " + gettext("(value “%(value)s”)") % {"value": problem.value}
    return gettext("%(where)s: %(message)s") % {
        "where": where, "message": _message(problem.message, problem.params)}


def notice_text(notice: Notice) -> str:
    return gettext("%(where)s: %(message)s") % {
        "where": notice.where, "message": _message(notice.message, notice.params)}


def outcome_lines(outcome: ImportOutcome, *, dry_run: bool) -> list[str]:
    """The whole report as lines, the way the command line prints it."""
    lines = [notice_text(notice) for notice in outcome.check.notices]
    if not outcome.check.ok:
        lines.append(
            gettext("Import refused: %(n)d problem(s) found; nothing was changed.")
            % {"n": outcome.check.problem_total}
        )
        lines.extend(f"  - {problem_text(problem)}" for problem in outcome.check.problems)
        hidden = outcome.check.problem_total - len(outcome.check.problems)
        if hidden > 0:
            lines.append("  " + gettext("… and %(n)d more problem(s).") % {"n": hidden})
        return lines
    lines.append(
        gettext("Dry run: the bundle is valid; nothing was written.")
        if dry_run
        else gettext("Import done.")
    )
    table_names = {
        "actors": gettext("actors"),
        "resources": gettext("resources"),
        "synergies": gettext("synergies"),
    }
    for table, counts in outcome.changes.items():
        lines.append(
            "  "
            + gettext("%(table)s: %(created)d new, %(updated)d updated, %(unchanged)d unchanged")
            % {
                "table": table_names.get(table, table),
                "created": counts["created"],
                "updated": counts["updated"],
                "unchanged": counts["unchanged"],
            }
        )
    return lines
