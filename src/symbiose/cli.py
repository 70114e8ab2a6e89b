"""The `symbiose` command: demo, serve, import, export, manage.

Thin on purpose: each subcommand parses its arguments, starts Django, calls one service and
prints what a facilitator needs to read. Exit status 0 on success, 1 when the work was
refused (an invalid bundle, an unknown territory), 2 for a misuse of the command.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symbiose.web.settings")
    import django
    from django.utils import translation

    django.setup()
    _database_reachable()
    # The command line speaks the user's language: French unless the locale says English.
    wanted = os.environ.get("SYMBIOSE_LANGUAGE") or os.environ.get("LANG", "fr")
    translation.activate("en" if wanted.lower().startswith("en") else "fr")


def _database_reachable() -> None:
    """Fail with one readable line, not a traceback, when the database is out of reach."""
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except DatabaseError as error:
        where = os.environ.get("DATABASE_URL") or "SQLite"
        raise SystemExit(f"symbiose: cannot open the database ({where}): {error}") from error


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _serve(host: str, port: int) -> int:
    from django.utils.translation import gettext
    from waitress import serve

    from symbiose.web.wsgi import application

    if not _port_free(host, port):
        print(
            gettext("Port %(port)d is already in use. Try: --port %(next)d")
            % {"port": port, "next": port + 1},
            file=sys.stderr,
        )
        return 2
    shown = "127.0.0.1" if host in {"0.0.0.0", ""} else host
    print(gettext("Symbiose is running at %(url)s") % {"url": f"http://{shown}:{port}/"})
    print(gettext("Press Ctrl+C to stop."), flush=True)
    serve(application, host=host, port=port, threads=8, ident="Symbiose", _quiet=True)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _django_setup()
    from django.utils.translation import gettext

    from symbiose.web.demo import demo_prepare

    print(gettext("Preparing the database…"), flush=True)
    _migrate()
    territory, login = demo_prepare()
    print(gettext("Demo territory: %(name)s (%(n)d actors)")
          % {"name": territory.name, "n": territory.actors.count()})
    print(gettext("Log in with the demo facilitator account:"))
    print("  " + gettext("Username: %(user)s") % {"user": login.username})
    print("  " + (gettext("Password: %(password)s") % {"password": login.password}
                  if login.password else gettext("Password: the one you chose")))
    return _serve(args.host, args.port)


def cmd_serve(args: argparse.Namespace) -> int:
    _django_setup()
    _migrate()
    return _serve(args.host, args.port)


def cmd_import(args: argparse.Namespace) -> int:
    _django_setup()
    from django.utils.translation import gettext
    from tqdm import tqdm

    from symbiose.web.territory.reporting import outcome_lines
    from symbiose.web.territory.services import territory_import_bundle

    bundle = Path(args.bundle)
    _migrate()
    with tqdm(desc=gettext("rows read"), unit=" rows", file=sys.stderr, disable=None,
              leave=False) as bar:

        def advance(rows: int) -> None:
            bar.update(rows)

        outcome = territory_import_bundle(
            territory_name=args.territory, path=bundle, dry_run=args.dry_run,
            default_year=args.year, progress=advance,
        )
    for line in outcome_lines(outcome, dry_run=args.dry_run):
        print(line)
    return 0 if outcome.check.ok else 1


def cmd_export(args: argparse.Namespace) -> int:
    _django_setup()
    from django.utils.translation import gettext

    from symbiose.web.territory import selectors, services

    _migrate()
    territory = selectors.territory_get_by_name(name=args.territory)
    if territory is None:
        names = ", ".join(t.name for t in selectors.territory_list()) or "—"
        print(gettext("No territory named “%(name)s”. Territories: %(names)s")
              % {"name": args.territory, "names": names}, file=sys.stderr)
        return 1
    out = Path(args.out)
    services.territory_export_bundle(territory=territory, path=out)
    print(gettext("Exported “%(name)s” to %(path)s") % {"name": territory.name, "path": out})
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symbiose.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["symbiose manage", *args.arguments])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symbiose",
        description="Symbiose: industrial and territorial ecology. Every command uses "
        "DATABASE_URL when set, else a SQLite file in your user data directory.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def server_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8000)")
        p.add_argument("--host", default=DEFAULT_HOST,
                       help="address to listen on (default 127.0.0.1: this computer only)")

    demo = sub.add_parser("demo", help="set up the database and a demo territory, then serve",
                          description="Create and migrate the database if needed, load the "
                          "demo territory if absent, create a demo facilitator account, "
                          "start the server and print its address.")
    server_options(demo)
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="start the web server",
                           description="Migrate the database if needed and start the server.")
    server_options(serve)
    serve.set_defaults(func=cmd_serve)

    imp = sub.add_parser("import", help="import a territory bundle (folder of CSV, .xlsx, .zip)",
                         description="Import a territory bundle, all or nothing. Exit status "
                         "0 when imported, 1 when refused; the report goes to standard output.")
    imp.add_argument("bundle", help="a folder of CSV files, an .xlsx workbook or a .zip")
    imp.add_argument("--territory", required=True, help="territory name (created if new)")
    imp.add_argument("--dry-run", action="store_true",
                     help="check and count the changes without writing anything")
    imp.add_argument("--year", type=int, default=None,
                     help="year of the flow balances when the bundle has no year column "
                     "(default: the current year)")
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", help="export a territory as a bundle",
                         description="Export a territory: OUT is a folder (CSV files) or a "
                         "file ending in .xlsx.")
    exp.add_argument("territory", metavar="NAME", help="territory name")
    exp.add_argument("out", metavar="OUT", help="a folder, or a file ending in .xlsx")
    exp.set_defaults(func=cmd_export)

    manage = sub.add_parser("manage", help="Django's management commands (createsuperuser…)",
                            add_help=False)
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
