"""`symbiose meetings schedule`: a day of business meetings from CSV files, no database.

The files come from a facilitator's spreadsheet, so they are read as the bundle reader
reads them (encoding and separator detected, headers in French or English, any case), and
every problem, the reader's and the scheduler's alike, is printed located as the
spreadsheet shows it: file, row (the header is row 1), column and value.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from symbiose.cli_setup import language
from symbiose.core.bundle.dialects import detect_dialect
from symbiose.core.bundle.problems import Problem
from symbiose.core.bundle.reader import EMPTY, MISSING_COLUMN
from symbiose.core.bundle.sources import NO_SUCH, UNREADABLE
from symbiose.core.bundle.tables import CSV_BROKEN
from symbiose.core.bundle.validate import REQUIRED
from symbiose.core.i18n import gettext_noop
from symbiose.core.meetings.model import Agenda, LockedMeeting, MeetingRequest
from symbiose.core.meetings.problems import InputProblem

NOT_WHOLE = gettext_noop("“%(value)s” is not a whole number")
REFUSED = gettext_noop("No agenda written: %(n)d problem(s) found.")
UNPLACED = gettext_noop("Not placed: %(a)s with %(b)s. %(reason)s")
WRITTEN = gettext_noop(
    "%(placed)d meetings written to %(path)s (%(unplaced)d requests not placed)."
)
NOT_PROVEN = gettext_noop(
    "The time limit came before the scheduler could prove no agenda places more."
)

# Accepted headers per column, compared lower-cased and stripped.
HEADERS = {
    "a": ("a",),
    "b": ("b",),
    "priority": ("priority", "priorité", "priorite"),
    "participant": ("participant",),
    "slot": ("slot", "créneau", "creneau"),
    "table": ("table",),
}


@dataclass
class Rows:
    """A CSV file's data rows, each with its row number as a spreadsheet shows it."""

    name: str
    header: dict[str, str] = field(default_factory=dict)  # column -> header as written
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def read_rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...],
              problems: list[Problem]) -> Rows:
    """The rows of `path` by column, or none with the problems said in `problems`."""
    found = Rows(path.name)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(str(path), NO_SUCH, params={"name": str(path)}))
        return found
    except OSError as error:
        problems.append(Problem(str(path), UNREADABLE,
                                params={"name": str(path), "detail": error.strerror or ""}))
        return found
    dialect = detect_dialect(raw[: 1 << 20])
    text = raw.decode(dialect.encoding, errors="replace")
    records = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
    try:
        lines = list(records)
    except csv.Error as error:
        problems.append(Problem(found.name, CSV_BROKEN, row=records.line_num,
                                params={"detail": str(error)}))
        return found
    if not lines or not any(cell.strip() for cell in lines[0]):
        problems.append(Problem(found.name, EMPTY))
        return found
    names = [cell.strip() for cell in lines[0]]
    position: dict[str, int] = {}
    for column in required + optional:
        spelled = next((i for i, name in enumerate(names) if name.lower() in HEADERS[column]),
                       None)
        if spelled is not None:
            position[column] = spelled
            found.header[column] = names[spelled]
        elif column in required:
            problems.append(Problem(found.name, MISSING_COLUMN, row=1, params={
                "column": column, "aliases": ", ".join(HEADERS[column])}))
    if any(column not in position for column in required):
        return found
    for number, line in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in line):
            continue
        cells = {column: (line[i].strip() if i < len(line) else "")
                 for column, i in position.items()}
        for column in required:
            if not cells[column]:
                problems.append(Problem(found.name, REQUIRED, row=number,
                                        column=found.header[column]))
        found.rows.append((number, cells))
    return found


def _whole(rows: Rows, number: int, cells: dict[str, str], column: str,
           problems: list[Problem], default: int | None = None) -> int | None:
    value = cells.get(column, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        problems.append(Problem(rows.name, NOT_WHOLE, row=number, column=rows.header[column],
                                value=value, params={"value": value}))
        return None


@dataclass
class Inputs:
    requests: list[MeetingRequest] = field(default_factory=list)
    unavailable: list[tuple[str, int]] = field(default_factory=list)
    locked: list[LockedMeeting] = field(default_factory=list)
    # Per input kind, the file and each entry's row, to locate the scheduler's problems.
    files: dict[str, Rows] = field(default_factory=dict)
    row_of: dict[str, list[int]] = field(default_factory=dict)


def read_inputs(args: argparse.Namespace, problems: list[Problem]) -> Inputs:
    inputs = Inputs()
    requests = read_rows(Path(args.requests), ("a", "b"), ("priority",), problems)
    inputs.files["requests"] = requests
    inputs.row_of["requests"] = []
    for number, cells in requests.rows:
        priority = _whole(requests, number, cells, "priority", problems, default=1)
        if cells["a"] and cells["b"]:
            # A refused priority is already a problem (nothing will be scheduled); the
            # pair is kept so that the scheduler's checks still see it (a duplicate…).
            inputs.requests.append(MeetingRequest(cells["a"], cells["b"], priority or 1))
            inputs.row_of["requests"].append(number)
    if args.unavailable:
        cells_read = read_rows(Path(args.unavailable), ("participant", "slot"), (), problems)
        inputs.files["unavailable"] = cells_read
        inputs.row_of["unavailable"] = []
        for number, cells in cells_read.rows:
            slot = _whole(cells_read, number, cells, "slot", problems)
            if cells["participant"] and slot is not None:
                inputs.unavailable.append((cells["participant"], slot))
                inputs.row_of["unavailable"].append(number)
    if args.locked:
        locked = read_rows(Path(args.locked), ("a", "b", "slot", "table"), (), problems)
        inputs.files["locked"] = locked
        inputs.row_of["locked"] = []
        for number, cells in locked.rows:
            slot = _whole(locked, number, cells, "slot", problems)
            table = _whole(locked, number, cells, "table", problems)
            if cells["a"] and cells["b"] and slot is not None and table is not None:
                inputs.locked.append(LockedMeeting(cells["a"], cells["b"], slot, table))
                inputs.row_of["locked"].append(number)
    return inputs


def located(problem: InputProblem, inputs: Inputs) -> Problem:
    """The scheduler's problem at its file, row and column."""
    if problem.kind not in inputs.files or problem.number is None:
        return Problem(f"--{problem.where}", problem.message, params=problem.params)
    rows = inputs.files[problem.kind]
    row_of = inputs.row_of[problem.kind]
    column = rows.header.get(problem.attribute or "", problem.attribute)
    params = dict(problem.params)
    if "other" in params:  # "the same pair as request 2": here, entries are named by row
        params["other"] = str(row_of[int(params["other"]) - 1])
    return Problem(rows.name, problem.message, row=row_of[problem.number - 1],
                   column=column, value=problem.value, params=params)


def write_agenda(path: Path, agenda: Agenda) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["slot", "table", "a", "b"])
        for meeting in agenda.placed:
            writer.writerow([meeting.slot, meeting.table, meeting.a, meeting.b])


def _translation() -> None:
    """Django's catalogue in the user's language, without a database: nothing is stored."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symbiose.web.settings")
    import django
    from django.utils import translation

    django.setup()
    translation.activate(language())


def cmd_meetings_schedule(args: argparse.Namespace) -> int:
    _translation()
    from django.utils.translation import gettext

    from symbiose.core.meetings.schedule import schedule_meetings
    from symbiose.core.meetings.validate import input_problems
    from symbiose.web.transfer.reporting import problem_text

    problems: list[Problem] = []
    inputs = read_inputs(args, problems)
    # The scheduler's own checks on what could be read, so that one run lists every
    # problem of the files, not the cells' first and the scheduler's after a fix.
    problems += [located(problem, inputs) for problem in input_problems(
        inputs.requests, slots=args.slots, tables=args.tables,
        unavailable=inputs.unavailable, locked=inputs.locked, participants=None)]
    if problems:
        for problem in sorted(problems, key=lambda p: (p.where, p.row or 0)):
            print(problem_text(problem), file=sys.stderr)
        print(gettext(REFUSED) % {"n": len(problems)}, file=sys.stderr)
        return 1
    agenda = schedule_meetings(inputs.requests, slots=args.slots, tables=args.tables,
                               unavailable=inputs.unavailable, locked=inputs.locked,
                               time_limit_s=args.time_limit)
    out = Path(args.out)
    write_agenda(out, agenda)
    for left in agenda.unplaced:
        print(gettext(UNPLACED) % {"a": left.a, "b": left.b, "reason": gettext(left.reason)},
              file=sys.stderr)
    if not agenda.optimal:
        print(gettext(NOT_PROVEN), file=sys.stderr)
    print(gettext(WRITTEN) % {"placed": len(agenda.placed), "path": out,
                              "unplaced": len(agenda.unplaced)})
    return 0


def add_meetings_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    meetings = sub.add_parser("meetings", help="business meetings (meetings schedule …)",
                              description="Business meetings between a programme's actors.")
    actions = meetings.add_subparsers(dest="meetings_command", required=True, metavar="ACTION")
    schedule = actions.add_parser(
        "schedule", help="place accepted meeting requests on slots and tables",
        description="Place every accepted request (REQUESTS.csv: a,b[,priority]) on a grid of "
        "slots and tables, the most by priority when not all fit, and write AGENDA.csv "
        "(slot,table,a,b). Exit status 0 when written, 1 when the input is refused, with "
        "every problem located.")
    schedule.add_argument("requests", metavar="REQUESTS.csv")
    schedule.add_argument("--slots", type=int, required=True, help="number of time slots")
    schedule.add_argument("--tables", type=int, required=True, help="number of tables")
    schedule.add_argument("--unavailable", metavar="UNAVAILABLE.csv",
                          help="participant,slot: when a participant cannot meet (slots from 1)")
    schedule.add_argument("--locked", metavar="LOCKED.csv",
                          help="a,b,slot,table: meetings fixed by hand, kept where they are")
    schedule.add_argument("--out", required=True, metavar="AGENDA.csv")
    schedule.add_argument("--time-limit", type=float, default=25.0, metavar="SECONDS",
                          help="the solver's time limit (default 25 s)")
    schedule.set_defaults(func=cmd_meetings_schedule)
