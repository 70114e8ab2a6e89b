"""Build the packaged EWC and NAF tables from the shared reference copies.

Why a script: the project ships its own compact tables (facts of law and public statistics,
sources in NOTICE) and never reads the reference folder at run time. Re-running this script
on the same inputs gives byte-identical CSVs, so a diff shows any change in the facts.

    python tools/build_nomenclatures.py [--refdata DIR] [--out DIR]

NACE Rev. 2.1 (naceconverter) is deliberately not read: it is another revision, and its
codes do not map one to one onto NAF rév. 2.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFDATA = REPO.parent / "shared" / "refdata"
DEFAULT_OUT = REPO / "src" / "symbiose" / "core" / "nomenclature" / "data"

EWC_SOURCE = "ewc_list_of_waste_en_fr.csv"
NAF_SOURCE = "naf_rev2_subclasses_fr_en.csv"

EWC_COLUMNS = (
    "code",
    "hazardous",
    "label_en",
    "label_fr",
    "chapter",
    "chapter_label_en",
    "chapter_label_fr",
    "subchapter",
    "subchapter_label_en",
    "subchapter_label_fr",
)
NAF_COLUMNS = (
    "naf_code",
    "label_fr",
    "nace_class",
    "nace_class_label_fr",
    "nace_class_label_en",
    "nace_division",
    "nace_division_label_fr",
    "nace_division_label_en",
    "nace_section",
    "nace_section_label_fr",
    "nace_section_label_en",
)
EWC_COUNT, EWC_HAZARDOUS, NAF_COUNT = 842, 408, 732


def clean(text: str) -> str:
    """Strip and collapse runs of spaces: the sources carry a few stray ones."""
    return re.sub(r"\s+", " ", text).strip()


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: clean(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def ewc_rows(source: list[dict[str, str]]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for row in source:
        code = row["code"]
        if not re.fullmatch(r"\d{6}", code) or row["hazardous"] not in {"0", "1"}:
            raise SystemExit(f"unexpected EWC row: {row}")
        if row["chapter"] != code[:2] or row["subchapter"] != code[:4]:
            raise SystemExit(f"EWC code {code} outside its headings")
        rows.append(
            (
                code,
                row["hazardous"],
                row["label_en"],
                row["label_fr"],
                row["chapter"],
                row["chapter_label_en"],
                row["chapter_label_fr"],
                row["subchapter"],
                row["subchapter_label_en"],
                row["subchapter_label_fr"],
            )
        )
    rows.sort()
    hazardous = sum(row[1] == "1" for row in rows)
    if len({row[0] for row in rows}) != EWC_COUNT or hazardous != EWC_HAZARDOUS:
        raise SystemExit(f"EWC: {len(rows)} codes, {hazardous} hazardous")
    return rows


def naf_rows(source: list[dict[str, str]]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for row in source:
        code = row["naf_code"]
        if not re.fullmatch(r"\d\d\.\d\d[A-Z]", code) or row["nace_class"] != code[:5]:
            raise SystemExit(f"unexpected NAF row: {row}")
        if row["nace_division"] != code[:2] or not re.fullmatch(r"[A-U]", row["nace_section"]):
            raise SystemExit(f"NAF code {code} outside its division or section")
        rows.append((code, row["naf_label_fr"], *(row[column] for column in NAF_COLUMNS[2:])))
    rows.sort()
    if len({row[0] for row in rows}) != NAF_COUNT:
        raise SystemExit(f"NAF: {len(rows)} sub-classes")
    return rows


def write(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refdata", type=Path, default=DEFAULT_REFDATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    ewc = ewc_rows(read_rows(args.refdata / EWC_SOURCE))
    naf = naf_rows(read_rows(args.refdata / NAF_SOURCE))
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "ewc.csv", EWC_COLUMNS, ewc)
    write(args.out / "naf.csv", NAF_COLUMNS, naf)
    print(f"wrote {len(ewc)} EWC codes and {len(naf)} NAF sub-classes to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
