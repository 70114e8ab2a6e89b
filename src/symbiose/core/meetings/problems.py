"""What the scheduler refuses in its input, each problem located, all of them at once.

A facilitator fixes a file in one pass only if every problem is listed, so validation
never stops at the first. Messages are English format strings marked with `gettext_noop`;
the display layer translates them, then applies `params`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from symbiose.core.errors import SymbioseError
from symbiose.core.i18n import gettext_noop

SLOTS_TOO_FEW = gettext_noop("the number of slots must be at least 1, not %(value)s")
TABLES_TOO_FEW = gettext_noop("the number of tables must be at least 1, not %(value)s")
UNKNOWN_PARTICIPANT = gettext_noop("“%(participant)s” is not a participant")
SELF_MEETING = gettext_noop("“%(participant)s” cannot meet themselves")
DUPLICATE_REQUEST = gettext_noop("the same pair as request %(other)s")
PRIORITY_TOO_LOW = gettext_noop("the priority must be a whole number of at least 1, not %(value)s")
SLOT_OUTSIDE = gettext_noop("slot %(value)s is outside the grid (slots 1 to %(slots)s)")
TABLE_OUTSIDE = gettext_noop("table %(value)s is outside the grid (tables 1 to %(tables)s)")
DUPLICATE_LOCKED = gettext_noop("the same pair as locked meeting %(other)s")
LOCKED_PARTICIPANT_TWICE = gettext_noop(
    "“%(participant)s” is already in locked meeting %(other)s at slot %(slot)s"
)
LOCKED_TABLE_TWICE = gettext_noop(
    "table %(table)s is already taken by locked meeting %(other)s at slot %(slot)s"
)
LOCKED_OVER_CAPACITY = gettext_noop(
    "slot %(slot)s has %(count)s locked meetings for %(tables)s tables"
)
LOCKED_UNAVAILABLE = gettext_noop("“%(participant)s” is unavailable at slot %(slot)s")


@dataclass(frozen=True)
class InputProblem:
    """One refused piece of input.

    `where` names it in English ("request 3", "locked meeting 2", "unavailable 5",
    "slots"); `kind` and `number` say the same for a program: the input ("requests",
    "locked", "unavailable", "grid") and the 1-based position in it, so the command line
    maps a problem to its file and row. `attribute` is the refused value's field ("a", "slot", …),
    `value` the refused value as text.
    """

    where: str
    message: str
    kind: str = "grid"
    number: int | None = None
    attribute: str | None = None
    value: str | None = None
    params: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """The English sentence, for logs and exception messages."""
        return f"{self.where}: {self.message % self.params}"


class ScheduleInputError(SymbioseError, ValueError):
    """The scheduler's input cannot be scheduled as it stands; `problems` lists why."""

    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = problems
        shown = "; ".join(problem.text() for problem in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{len(problems)} problem(s) in the meeting input: {shown}{more}")
