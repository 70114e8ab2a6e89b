"""The commands that need no database: the engine on a bundle, receiving sectors,
synthetic territories (and the read limits the bundle commands share)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from symbiose.cli_setup import django_setup, language
from symbiose.core.bundle.limits import COMMAND_LIMITS, MIB, ReadLimits
from symbiose.core.errors import SymbioseError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from symbiose.core.bundle.reader import CheckResult
    from symbiose.core.bundle.records import SynergyRecord
    from symbiose.core.matching.tables import ActorTable, ResourceTable

TILES_PER_WORKER = 4


def read_limits(args: argparse.Namespace) -> ReadLimits:
    """The command line's read limits, raised by --max-rows and --max-megabytes."""
    return ReadLimits(max_rows=args.max_rows or COMMAND_LIMITS.max_rows,
                      max_bytes=(args.max_megabytes * MIB if args.max_megabytes
                                 else COMMAND_LIMITS.max_bytes))


def cmd_match(args: argparse.Namespace) -> int:
    """The engine on a bundle, no database: synergies.csv as the spec says, best first;
    on a Dask cluster with --workers or --scheduler, the same file."""
    # A region's run allocates millions of small objects that live until the end, and the
    # cyclic collector would walk them again and again (a second of the nine a 100,000-actor
    # bundle takes) while they hold no cycle worth collecting: one short process, no
    # collection. Its forked pooling child inherits the pause. A Dask run keeps the
    # collector: its client lives as long as the cluster works, and messages make cycles.
    if args.workers or args.scheduler:
        return _match_command(args)
    gc.disable()
    try:
        return _match_command(args)
    finally:
        gc.enable()


def _match_command(args: argparse.Namespace) -> int:
    tables = _tables(args)
    if tables is None:
        return 1
    try:
        count = _match_to(args, *tables)
    except SymbioseError as error:
        print(f"symbiose match: {error}", file=sys.stderr)
        return 1
    written = "propositions écrites dans" if language() == "fr" else "proposals written to"
    print(f"{count} {written} {args.out}")
    return 0


def _tables(args: argparse.Namespace) -> tuple[ActorTable, ResourceTable] | None:
    """The engine's tables of the bundle, or None when it has problems (printed). Its
    columns are let go on return: a region's weigh as much as the tables."""
    import datetime

    from symbiose.core.bundle import read_bundle
    from symbiose.core.bundle.columnar import BundleColumns, read_or_triage
    from symbiose.core.matching.columnar import actor_table_of, resource_table_of
    from symbiose.core.matching.tables import actor_table, resource_table

    with read_bundle(args.bundle, default_year=datetime.date.today().year,
                     limits=read_limits(args)) as reader:
        # A clean CSV bundle is read column-wise; anything else (or anything the columnar
        # path is not sure of) goes the row way, which says every problem with its place.
        # Bad rows in a CSV bundle: the row way checks the cells of those rows only.
        columns = read_or_triage(reader)
        if isinstance(columns, BundleColumns):
            actors = actor_table_of(columns.actors)
            return actors, resource_table_of(columns.resources, actors)
        check = reader.check(trusted=columns.trusted if columns else None)
        if not check.ok:
            _print_problems(check)
            return None
        actors = actor_table(reader.actors())
        return actors, resource_table(reader.resources(), actors)


def _print_problems(check: CheckResult) -> None:
    """The problems kept (the first thousand), each with its place, and how many more."""
    django_setup()
    from django.utils.translation import gettext

    from symbiose.web.transfer.reporting import problem_text

    for problem in check.problems:
        print(problem_text(problem))
    hidden = check.problem_total - len(check.problems)
    if hidden > 0:
        print(gettext("… and %(n)d more problem(s).") % {"n": hidden})


def _match_to(args: argparse.Namespace, actors: ActorTable, table: ResourceTable) -> int:
    """The proposals written to --out; how many."""
    if not (args.workers or args.scheduler):
        from symbiose.core.bundle.writer import write_synergy_cells
        from symbiose.core.matching.cells import propose_cells

        # Columns of cells, no object per proposal: the same bytes as the records'; the
        # pooling groups in a forked child while this process does the pairs.
        cells = propose_cells(actors, table, radius_km=args.radius_km, top_k=args.top,
                              language=language(), fork=True)
        replacing(args.out, lambda path: write_synergy_cells(path, cells.columns))
        return len(cells)
    from symbiose.cluster import dask_runner
    from symbiose.core.matching.tiled import stream_tiled

    # The tiles' files beside the output unless --scratch says where: on a real
    # cluster, a folder every worker reads at the same path.
    scratch_parent = args.scratch or str(Path(args.out).resolve().parent)
    with dask_runner(workers=args.workers, scheduler=args.scheduler) as runner, \
            tempfile.TemporaryDirectory(prefix=".symbiose-tiles-",
                                        dir=scratch_parent) as scratch:
        # Several tiles a worker, so that a tile's memory stays a share of the whole's
        # and a slow tile does not hold the others up.
        tiles = args.tiles or TILES_PER_WORKER * max(1, runner.worker_count())
        count = 0

        def records() -> Iterator[SynergyRecord]:
            nonlocal count
            for proposal in stream_tiled(actors, table, runner=runner, tiles=tiles,
                                         scratch=Path(scratch), radius_km=args.radius_km,
                                         top_k=args.top, language=language()):
                count += 1
                yield proposal.record

        write_replacing(args.out, records())
        return count


def write_replacing(out: str, records: Iterable[SynergyRecord]) -> None:
    """The records written beside `out`, then renamed over it (see `replacing`)."""
    from symbiose.core.bundle import write_synergies_csv

    replacing(out, lambda path: write_synergies_csv(path, records))


def replacing(out: str, write: Callable[[str], None]) -> None:
    """The file written beside `out` by `write`, then renamed over it: a run stopped half
    way leaves the previous file (or none), never half of one."""
    target = Path(out)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                         dir=target.parent)
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def cmd_receivers(args: argparse.Namespace) -> int:
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
