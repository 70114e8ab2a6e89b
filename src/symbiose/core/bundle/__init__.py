"""Territory bundles in and out (spec/territory-bundle.md).

INTERFACE (the web layer and the command line rely on exactly this):

    read_bundle(path, *, default_year, known_actor_ids=()) -> BundleReader
        `path`: a folder of CSV files, an .xlsx workbook or a .zip of CSV files. Nothing
        is read into memory whole: CSV and xlsx rows are streamed, so a 50 MB file keeps
        memory flat. `known_actor_ids`: actors already in the territory, which resources
        and synergies may reference without repeating them in actors.csv.

    BundleReader (a context manager)
        .check(progress=None) -> CheckResult
            One streaming pass over every table; returns every problem (file or sheet, row,
            column, value, what was expected), not just the first.
        .actors() / .resources() / .synergies() -> Iterator of records
            A fresh streaming pass each call; only meaningful after check() found nothing.

    write_bundle(path, *, actors, resources, synergies=()) -> None
        A folder (CSV, UTF-8, ",") or an .xlsx workbook, by the path's suffix. Text cells
        that a spreadsheet would run as a formula are neutralised.
"""

from symbiose.core.bundle.problems import Notice, Problem
from symbiose.core.bundle.reader import BundleReader, CheckResult, read_bundle
from symbiose.core.bundle.records import ActorRecord, ResourceRecord, SynergyRecord
from symbiose.core.bundle.writer import write_bundle, write_synergies_csv

__all__ = [
    "ActorRecord",
    "BundleReader",
    "CheckResult",
    "Notice",
    "Problem",
    "ResourceRecord",
    "SynergyRecord",
    "read_bundle",
    "write_bundle",
    "write_synergies_csv",
]
