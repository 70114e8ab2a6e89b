"""Write `data/receivers_dev.csv` from the development cases' known substitutions.

    python benchmarks/receivers_dev_rows.py [--check]

Each known substitution of `data/dev_cases` and `../shared/cases` becomes one exchange:
the supplier's output, its EWC code and the supplier's NAF code, and the receiver's NACE
division. The output is the supplier's `out` resource the synergy's own description is
about: the only one when there is one; else the one whose label reads most like the
description (character n-gram cosine, weighted by the case's own labels and descriptions,
so that words every label has count little), with `CLASS_BONUS` added to the outputs of
the class the engine reads in the description ("Gypsum from the chemical industry to a
plasterboard maker": the gypsum, not the hydrogen of the same chemical plant). Only which
output an exchange is about comes from the engine; what is scored, the receiving
division, comes from the case. An exchange whose supplier states no output, or whose
receiver has no NAF code, is left out. With --check, the file is not written: how many
of its rows this rule gives again is printed (its agreement with rows picked by hand).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from receivers_dev import DEV
from symbiose.core.bundle import read_bundle
from symbiose.core.classify.text import fold
from symbiose.core.knowledge.activity import classify_as_actor

HERE = Path(__file__).resolve().parent
CASE_FOLDERS = (HERE / "data" / "dev_cases", HERE.parents[1] / "shared" / "cases")
# What the same class adds to the cosine: enough to prefer the output of the description's
# class among outputs worded alike, not enough to overrule a label that names the thing.
# Checked by hand on the 150 rows picked before this rule: of the 4 it picks otherwise,
# 2 were wrong in the file and 2 describe several outputs at once.
CLASS_BONUS = 0.15
FIELDS = ("case", "supplier_id", "provider_naf", "ewc", "label", "receiver_id",
          "receiver_division")


def exchanges(case: Path) -> list[dict[str, str]]:
    with read_bundle(case, default_year=2024) as reader:
        if not reader.check().ok:
            raise SystemExit(f"{case}: the bundle has problems")
        actors = {a.id: a for a in reader.actors()}
        outputs: dict[str, list[tuple[str, str]]] = {}
        for r in reader.resources():
            if r.direction == "out":
                outputs.setdefault(r.actor_id, []).append((r.label, r.ewc or ""))

    def class_of(text: str, ewc: str, supplier: str) -> str:
        return classify_as_actor(text, ewc, naf=actors[supplier].naf or "",
                                 direction="out").class_id

    with (case / "expected.csv").open(encoding="utf-8", newline="") as handle:
        known = [row for row in csv.DictReader(handle) if row["type"] == "substitution"]
    corpus = [fold(text) for text in [*(label for offered in outputs.values()
                                        for label, _ in offered),
                                      *(synergy["resource"] for synergy in known)]]
    weights = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit(corpus)
    rows = []
    for synergy in known:
        supplier = synergy["supplier_id"]
        offered = outputs.get(supplier, [])
        receiver = actors.get(synergy["receiver_id"])
        if not offered or receiver is None or not receiver.naf:
            continue
        wanted = class_of(synergy["resource"], "", supplier)
        alike = [class_of(o[0], o[1], supplier) == wanted for o in offered]
        label, ewc = offered[_closest(weights, synergy["resource"], [o[0] for o in offered],
                                      alike)]
        rows.append({"case": case.name, "supplier_id": supplier,
                     "provider_naf": actors[supplier].naf or "",
                     "ewc": ewc, "label": label, "receiver_id": synergy["receiver_id"],
                     "receiver_division": receiver.naf[:2]})
    return rows


def _closest(weights: TfidfVectorizer, description: str, labels: list[str],
             alike: list[bool]) -> int:
    if len(labels) == 1:
        return 0
    vectors = weights.transform([fold(description), *map(fold, labels)])
    similarity = (vectors[1:] @ vectors[0].T).toarray().ravel()
    return int((similarity + CLASS_BONUS * np.array(alike)).argmax())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the file instead of writing it")
    args = parser.parse_args()
    rows = [row for folder in CASE_FOLDERS if folder.is_dir()
            for case in sorted(folder.iterdir()) if (case / "expected.csv").is_file()
            for row in exchanges(case)]
    if args.check:
        with DEV.open(encoding="utf-8", newline="") as handle:
            written = list(csv.DictReader(handle))
        # A pair with several known exchanges has several rows: compared as multisets.
        fields = ("case", "supplier_id", "receiver_id", "label")
        picked = Counter(tuple(r[k] for k in fields) for r in rows)
        same = sum((picked & Counter(tuple(r[k] for k in fields) for r in written)).values())
        print(f"{same} of the file's {len(written)} rows given again; the rule gives "
              f"{len(rows)} rows")
        return
    with DEV.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} exchanges written to {DEV}")


if __name__ == "__main__":
    main()
