"""What the reader says about a bundle: problems (refusals) and notices (what it detected)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem. `message` is an English format string marked with
    `gettext_noop`; the display layer translates it, then applies `params`.

    `where` is the file ("resources.csv") or sheet ("resources") it was found in; `row` the
    1-based line or row number as the spreadsheet shows it (the header is row 1).
    """

    where: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the reader detected and wants said (encoding, separator, decimal comma,
    a file it ignored), so a facilitator knows how their file was read."""

    where: str
    message: str
    params: dict[str, str] = field(default_factory=dict)
