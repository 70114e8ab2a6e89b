"""How much of a bundle the reader agrees to read, so that a small hostile file cannot hold
the machine: a 130 KB zip of two million repeated rows, a sheet with one cell in column
XFD on 20,000 rows, a header of 100,000 columns, a single line of 800 MB.

Sizes are checked before reading (declared sizes in a zip or an .xlsx, file sizes in a
folder), rows and line lengths while streaming; going past a limit is a located problem
like any other, never a crash or a wait of minutes. The web pages and the API read with
`UPLOAD_LIMITS` unless the instance sets its own; the command line reads with
`COMMAND_LIMITS` and lets the user raise them.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1 << 20


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Limits per table (file or sheet) of a bundle.

    `max_rows` counts every row up to the last one read, blank rows included (a zip of
    blank lines is as long to read as one of data); `max_blank_run` the blank rows in a
    row (a spreadsheet ends with a few hundred at most; millions are a damaged or hostile
    file); `max_columns` the cells of the header row; `max_bytes` a table's size once
    uncompressed (a workbook: the whole .xlsx unzipped); `max_line_chars` one physical
    line of a CSV file.
    """

    max_rows: int
    max_columns: int = 500
    max_bytes: int = 1024 * MIB
    max_line_chars: int = MIB
    max_blank_run: int = 100_000

    def __post_init__(self) -> None:
        if min(self.max_rows, self.max_columns, self.max_bytes, self.max_line_chars,
               self.max_blank_run) < 1:
            raise ValueError("every read limit must be at least 1")


# A territory uploaded from a page: 50,000 actors with ten lines each fit.
UPLOAD_LIMITS = ReadLimits(max_rows=500_000, max_bytes=512 * MIB)
# A region's or a nation's extract read from the command line.
COMMAND_LIMITS = ReadLimits(max_rows=20_000_000, max_bytes=8192 * MIB)


def megabytes(size: int) -> str:
    """A size in whole mebibytes, at least 1, for a message ("512")."""
    return str(max(1, round(size / MIB)))
