"""Known synergies found in every evaluation case, by the spec's rule, and proposals per actor.

    python benchmarks/match_cases.py [--cases ../shared/cases] [--top 3] [--radius-km 50]
                                     [--variants] [--verbose]

For each case folder (actors.csv, resources.csv, expected.csv) the bundle is read with the
project's reader, matched, and scored with `symbiose.core.matching.evaluation.evaluate`:
found/total known synergies, and the number of proposals per actor (target: every
synergy found with at most 2 proposals per actor). With --variants, the same is printed for
robustness variants written by `case_variants` (EWC codes removed; typos; labels
rephrased in English for the resources of the known synergies).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from case_variants import VARIANTS
from symbiose.core.bundle import ActorRecord, ResourceRecord, SynergyRecord, read_bundle
from symbiose.core.matching import match
from symbiose.core.matching.evaluation import (
    KnownSynergy,
    evaluate,
    is_known,
    known_from_rows,
)
from symbiose.core.matching.spatial import haversine_km

# Score bands of the reliability table: how often a proposal of each band is a known synergy.
BANDS = (0.2, 0.4, 0.6, 0.8, 1.01)

DEFAULT_CASES = Path(__file__).resolve().parents[2] / "shared" / "cases"


def load(case: Path) -> tuple[list[ActorRecord], list[ResourceRecord]]:
    with read_bundle(case, default_year=2024) as reader:
        result = reader.check()
        if not result.ok:
            raise SystemExit(f"{case}: bundle has problems: {result.problems[:3]}")
        return list(reader.actors()), list(reader.resources())


def beyond_radius(known: list[KnownSynergy], actors: list[ActorRecord],
                  radius_km: float) -> list[KnownSynergy]:
    """The known substitutions and sharings whose two partners are farther apart than the
    radius: no proposal can name them, whatever the engine reads (`radius_km` is the
    largest distance between partners)."""
    place = {a.id: (a.lat, a.lon) for a in actors if a.lat is not None and a.lon is not None}
    far = []
    for s in known:
        if s.type == "pooling" or s.supplier_id not in place or s.receiver_id not in place:
            continue
        (lat1, lon1), (lat2, lon2) = place[s.supplier_id], place[s.receiver_id]
        km = haversine_km(*(np.array([float(v)]) for v in (lat1, lon1, lat2, lon2)))[0]
        if km > radius_km:
            far.append(s)
    return far


def run(case: Path, actors: list[ActorRecord], resources: list[ResourceRecord],
        args: argparse.Namespace, name: str, reach: list[int],
        reliability: list[tuple[float, bool]] | None = None) -> tuple[int, int, int]:
    """Match one case and print its line; `reach` adds up the known synergies within
    the radius and those of them found."""
    with (case / "expected.csv").open(encoding="utf-8") as handle:
        known = known_from_rows(csv.DictReader(handle))
    started = time.perf_counter()
    if args.baseline:
        proposals = ngram_baseline(resources, args.top)
    else:
        proposals = match(actors, resources, radius_km=args.radius_km, top_k=args.top)
    elapsed = time.perf_counter() - started
    score = evaluate(proposals, known, actors=len(actors))
    far = set(beyond_radius(known, actors, args.radius_km))
    reach[0] += sum(1 for s in score.found if s not in far)
    reach[1] += score.total - len(far)
    if reliability is not None:
        reliability.extend((float(p.score or 0), is_known(p, known)) for p in proposals)
    print(f"{name:<24} found {len(score.found):>2}/{score.total:<2}  proposals {score.proposals:>3}"
          f"  per actor {score.per_actor:.2f}  ({elapsed * 1000:.0f} ms)")
    if args.verbose:
        for s in score.missed:
            print(f"    missed {s.type}: {s.supplier_id or ';'.join(s.actor_ids)} -> "
                  f"{s.receiver_id}  ({s.resource})")
    return len(score.found), score.total, score.proposals


def ngram_baseline(resources: list[ResourceRecord], top: int) -> list[SynergyRecord]:
    """The issue's yardstick: character n-gram cosine between labels, no classes.

    Substitution: the `top` most similar offers of other actors for each need. Pooling:
    for each resource, its actor with the actors of its `top` most similar resources.
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    labels = [r.label for r in resources]
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(labels)
    sims = (vectors @ vectors.T).toarray()
    out = []
    for i, row in enumerate(resources):
        ranked = [j for j in np.argsort(-sims[i])
                  if resources[j].actor_id != row.actor_id][:top]
        if row.direction == "in":
            for j in [j for j in np.argsort(-sims[i]) if resources[j].direction == "out"
                      and resources[j].actor_id != row.actor_id][:top]:
                supplier = resources[j].actor_id
                out.append(SynergyRecord("substitution", (supplier, row.actor_id), labels[j],
                                         supplier, row.actor_id,
                                         Decimal(str(round(float(sims[i, j]), 4)))))
        group = tuple(dict.fromkeys([row.actor_id, *(resources[j].actor_id for j in ranked)]))
        out.append(SynergyRecord("pooling", group, row.label,
                                 score=Decimal(str(round(float(sims[i, ranked].mean()), 4)))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--radius-km", type=float, default=50.0)
    parser.add_argument("--variants", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--baseline", action="store_true",
                        help="score the plain character n-gram baseline instead of the engine")
    args = parser.parse_args()
    if not args.cases.is_dir():
        raise SystemExit(f"no cases folder at {args.cases}")
    totals: dict[str, list[int]] = {}  # variant -> [found, total, proposals, actors]
    reliability: list[tuple[float, bool]] = []
    within: dict[str, list[int]] = {}  # variant -> [found, known] within the radius
    for case in sorted(p for p in args.cases.iterdir() if (p / "expected.csv").is_file()):
        actors, resources = load(case)
        variants = [("original", resources)]
        if args.variants:
            variants += [(v, f(case.name, resources)) for v, f in VARIANTS.items()]
        for variant, rows in variants:
            found, total, proposals = run(case, actors, rows, args, f"{case.name}/{variant}",
                                          within.setdefault(variant, [0, 0]),
                                          reliability if variant == "original" else None)
            sums = totals.setdefault(variant, [0, 0, 0, 0])
            for i, n in enumerate((found, total, proposals, len(actors))):
                sums[i] += n
    for variant, (found, total, proposals, n_actors) in totals.items():
        print(f"{'all/' + variant:<24} found {found:>2}/{total:<2}  proposals {proposals:>3}"
              f"  per actor {proposals / n_actors if n_actors else 0.0:.2f}"
              f"  (within {args.radius_km:g} km: {within[variant][0]}/{within[variant][1]})")
    print_reliability(reliability)


def print_reliability(scored: list[tuple[float, bool]]) -> None:
    """Share of proposals that are known synergies, by score band (original labels).

    A lower bound of precision: the known synergies of a case are those published, and a
    proposal outside them may still be sound.
    """
    print("reliability (original labels): score band, proposals, known synergies among them")
    for low, high in pairwise(BANDS):
        band = [known for score, known in scored if low <= score < high]
        share = f"{sum(band) / len(band):6.1%}" if band else "     -"
        print(f"  [{low:.1f}, {min(high, 1.0):.1f})  {len(band):>4}  {sum(band):>4}  {share}")


if __name__ == "__main__":
    main()
