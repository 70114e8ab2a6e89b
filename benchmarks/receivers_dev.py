"""Receiving sectors suggested by `receivers` on the project's own development exchanges.

    python benchmarks/receivers_dev.py [--misses]

`data/receivers_dev.csv` lists the known substitution synergies of the development cases
(`data/dev_cases` and `../shared/cases`; written by `receivers_dev_rows.py`, again after a
round of new cases): the supplier's output (label, EWC code, the
supplier's NAF code) and the receiver's NACE division. For each, `receivers` is asked for
its three best divisions, without and with the supplier's activity (as `--from-naf` does);
top-1 and top-3 hit rates are printed, for all exchanges and for those with an EWC code.
This is the set the receivers' knowledge may be tuned on (MAESTRI is evaluation only).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from symbiose.core.knowledge import receivers

DEV = Path(__file__).resolve().parent / "data" / "receivers_dev.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="print every top-3 miss")
    args = parser.parse_args()
    with DEV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    counts = {key: [0, 0, 0] for key in ("all", "with EWC", "material")}
    with_naf = {key: [0, 0, 0] for key in counts}
    misses = []
    for row in rows:
        target = row["receiver_division"]
        plain = [r.nace_division for r in receivers(row["ewc"], row["label"], top=3)]
        read = [r.nace_division for r in receivers(row["ewc"], row["label"], top=3,
                                                   from_naf=row["provider_naf"])]
        groups = ["all"] + (["with EWC"] if row["ewc"] else [])
        for group in groups:
            for table, ranked in ((counts, plain), (with_naf, read)):
                table[group][0] += 1
                table[group][1] += ranked[:1] == [target]
                table[group][2] += target in ranked
        if target not in read:
            misses.append((row, plain, read))
    for group in ("all", "with EWC"):
        n, one, three = counts[group]
        n_naf, one_naf, three_naf = with_naf[group]
        if not n:
            continue
        print(f"{group:<9} {n:>3} exchanges  top-1 {one / n:6.1%}  top-3 {three / n:6.1%}"
              f"   with the provider's NAF  top-1 {one_naf / n_naf:6.1%}"
              f"  top-3 {three_naf / n_naf:6.1%}")
    if args.misses:
        for row, plain, read in misses:
            print(f"  miss {row['case']:<10} {row['provider_naf']:<7} {row['ewc'] or '-':<10}"
                  f" {row['label'][:55]!r:59} want {row['receiver_division']}"
                  f" got {plain} / {read}")


if __name__ == "__main__":
    main()
