"""The commands that need no database: the engine on a bundle, receiving sectors,
synthetic territories (and the read limits the bundle commands share)."""

from __future__ import annotations

import argparse
import sys

from symbiose.cli_setup import django_setup, language
from symbiose.core.bundle.limits import COMMAND_LIMITS, MIB, ReadLimits


def read_limits(args: argparse.Namespace) -> ReadLimits:
    """The command line's read limits, raised by --max-rows and --max-megabytes."""
    return ReadLimits(max_rows=args.max_rows or COMMAND_LIMITS.max_rows,
                      max_bytes=(args.max_megabytes * MIB if args.max_megabytes
                                 else COMMAND_LIMITS.max_bytes))


def cmd_match(args: argparse.Namespace) -> int:
    """The engine on a bundle, no database: synergies.csv as the spec says, best first."""
    import datetime

    from symbiose.core.bundle import read_bundle, write_synergies_csv
    from symbiose.core.bundle.columnar import read_columns
    from symbiose.core.matching import match, match_columns

    with read_bundle(args.bundle, default_year=datetime.date.today().year,
                     limits=read_limits(args)) as reader:
        # A clean CSV bundle is read column-wise; anything else (or anything the columnar
        # path is not sure of) goes the row way, which says every problem with its place.
        columns = read_columns(reader)
        if columns is not None:
            proposals = match_columns(columns, radius_km=args.radius_km, top_k=args.top,
                                      language=language())
        else:
            check = reader.check()
            if not check.ok:
                django_setup()
                from symbiose.web.transfer.reporting import problem_text

                for problem in check.problems:
                    print(problem_text(problem))
                return 1
            proposals = match(reader.actors(), reader.resources(), radius_km=args.radius_km,
                              top_k=args.top, language=language())
    write_synergies_csv(args.out, proposals)
    written = "propositions écrites dans" if language() == "fr" else "proposals written to"
    print(f"{len(proposals)} {written} {args.out}")
    return 0


def cmd_receivers(args: argparse.Namespace) -> int:
    from symbiose.core.errors import SymbioseError
    from symbiose.core.knowledge import receivers, receivers_csv
    from symbiose.core.nomenclature.naf import naf_lookup

    try:
        if args.from_naf:
            naf_lookup(args.from_naf)  # an unknown code is said, with the nearest ones
        found = receivers(args.ewc, args.label, top=args.top, from_naf=args.from_naf)
    except SymbioseError as error:
        print(f"symbiose receivers: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(receivers_csv(found))
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from symbiose.core.bundle import write_bundle
    from symbiose.core.synth import synth_territory

    actors, resources = synth_territory(args.actors, seed=args.seed, resources=args.resources)
    write_bundle(args.out, actors=actors, resources=resources)
    if language() == "fr":
        print(f"{len(actors)} acteurs, {len(resources)} ressources écrits dans {args.out}")
    else:
        print(f"{len(actors)} actors, {len(resources)} resources written to {args.out}")
    return 0
