"""Receiving sectors suggested by `receivers` against the MAESTRI exchanges (evaluation only).

    python benchmarks/receivers_maestri.py [--refdata ../shared/refdata] [--misses N]

For every exchange of maestri_is_exchanges_305.csv, `receivers(ewc=..., label=waste
description)` is asked for its three best NACE divisions; top-1 and top-3 hit rates are
printed against the receiving industry's division (and again with the providing industry's
NACE code given, as `--from-naf` does), beside the two baselines of the issue
(the three most frequent receiving divisions; the majority receiver of the waste's EWC
chapter, both learnt from the file itself, in-sample). The MAESTRI file is read at run
time only: its licence is unknown, nothing of it is copied into the project.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

from symbiose.core.knowledge import receivers

DEFAULT_REFDATA = Path(__file__).resolve().parents[2] / "shared" / "refdata"
FILE = "maestri_is_exchanges_305.csv"


def division(code: str) -> str:
    digits = re.sub(r"[^0-9;]", "", code).split(";")[0]
    return digits[:2] if len(digits) >= 2 else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refdata", type=Path, default=DEFAULT_REFDATA)
    parser.add_argument("--misses", type=int, default=0, help="print the first N misses")
    args = parser.parse_args()
    path = args.refdata / FILE
    if not path.is_file():
        raise SystemExit(f"MAESTRI file absent: {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    exchanges = []
    providers: list[str] = []
    for row in rows:
        target = division(row["NACE code - Receiving industry"])
        if target:
            ewc = re.sub(r"[^0-9]", "", row["EWC code"])[:6]
            provider = re.sub(r"[^0-9]", "", row["NACE code - Providing industry"])[:4]
            providers.append(provider)
            exchanges.append((ewc, row["Waste description"], target))
    top1 = top3 = naf1 = naf3 = 0
    misses = []
    for (ewc, label, target), provider in zip(exchanges, providers, strict=True):
        ranked = [r.nace_division for r in receivers(ewc, label, top=3)]
        top1 += ranked[:1] == [target]
        top3 += target in ranked
        if target not in ranked:
            misses.append((ewc, label, target, ranked))
        with_naf = [r.nace_division for r in receivers(ewc, label, top=3, from_naf=provider)]
        naf1 += with_naf[:1] == [target]
        naf3 += target in with_naf
    n = len(exchanges)
    frequent = [d for d, _ in Counter(t for _, _, t in exchanges).most_common(3)]
    by_chapter: dict[str, Counter[str]] = defaultdict(Counter)
    for ewc, _, target in exchanges:
        by_chapter[ewc[:2]][target] += 1
    base_freq1 = sum(t == frequent[0] for _, _, t in exchanges)
    base_freq3 = sum(t in frequent for _, _, t in exchanges)
    base_ch1 = sum(by_chapter[e[:2]].most_common(1)[0][0] == t for e, _, t in exchanges)
    base_ch3 = sum(t in [d for d, _ in by_chapter[e[:2]].most_common(3)] for e, _, t in exchanges)
    loo1 = loo3 = 0
    for ewc, _, target in exchanges:  # leave one out: the exchange does not vote for itself
        votes = by_chapter[ewc[:2]].copy()
        votes[target] -= 1
        ranked_loo = [d for d, n in votes.most_common() if n > 0][:3]
        loo1 += ranked_loo[:1] == [target]
        loo3 += target in ranked_loo
    print(f"exchanges with a receiving division: {n} of {len(rows)}")
    print(f"receivers (symbiose)        top-1 {top1 / n:6.1%}   top-3 {top3 / n:6.1%}")
    print(f"  with the provider's NACE  top-1 {naf1 / n:6.1%}   top-3 {naf3 / n:6.1%}")
    print(f"baseline: 3 most frequent   top-1 {base_freq1 / n:6.1%}   top-3 {base_freq3 / n:6.1%}")
    print(f"baseline: EWC chapter major top-1 {base_ch1 / n:6.1%}   top-3 {base_ch3 / n:6.1%}"
          "   (in-sample)")
    print(f"baseline: EWC chapter major top-1 {loo1 / n:6.1%}   top-3 {loo3 / n:6.1%}"
          "   (leave-one-out)")
    for ewc, label, target, ranked in misses[: args.misses]:
        print(f"  miss {ewc or '------'} {label[:50]!r:54} want {target} got {ranked}")


if __name__ == "__main__":
    main()
