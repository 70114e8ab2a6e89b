"""`symbiose report TERRITORY --year Y --out report.pdf|.xlsx|.ods`: the yearly funder
report, the format read from the file's extension."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from symbiose.cli_setup import django_setup, migrate, territory_named


def cmd_report(args: argparse.Namespace) -> int:
    django_setup()
    from django.utils.translation import gettext

    from symbiose.web.ledger.report.build import FORMATS, report_file

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(gettext("The report is written as .pdf, .xlsx or .ods, not “%(name)s”.")
              % {"name": out.name}, file=sys.stderr)
        return 2
    migrate()
    territory = territory_named(args.territory)
    if territory is None:
        return 1
    data = report_file(territory=territory, year=args.year, fmt=fmt, by=None,
                       language=args.language)
    out.write_bytes(data)
    print(gettext("Report %(year)s of “%(name)s” written to %(path)s")
          % {"year": args.year, "name": territory.name, "path": out})
    return 0


def add_report_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="write a territory's yearly report (.pdf, .xlsx, "
                                           ".ods)")
    report.add_argument("territory", help="the territory's name")
    report.add_argument("--year", type=int, required=True, help="the year reported")
    report.add_argument("--out", required=True,
                        help="the file to write: report.pdf, report.xlsx or report.ods")
    report.add_argument("--language", default="fr", choices=("fr", "en"),
                        help="the report's language (default fr)")
    report.set_defaults(func=cmd_report)
