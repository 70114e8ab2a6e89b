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

from symbiose.cli_campaign import add_campaign_command
from symbiose.cli_digest import add_digest_command
from symbiose.cli_engine import cmd_match, cmd_receivers, cmd_synth, read_limits
from symbiose.cli_meetings import add_meetings_command
from symbiose.cli_report import add_report_command
from symbiose.cli_setup import django_setup, migrate, territory_named
from symbiose.cli_worker import add_worker_command

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


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
    from django.conf import settings

    # A body somewhat over the upload limit reaches the application, which says why in
    # the reader's language (middleware.RefuseOversizedBodies); waitress refuses, in its
    # own words, only a body four times over, which it would otherwise spool to disk.
    serve(application, host=host, port=port, threads=8, ident="Symbiose", _quiet=True,
          max_request_body_size=4 * settings.SYMBIOSE_UPLOAD_MAX_BYTES)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    django_setup()
    from django.utils.translation import gettext

    from symbiose.web.accounts.models import Role
    from symbiose.web.demo import demo_other_accounts, demo_prepare

    print(gettext("Preparing the database…"), flush=True)
    migrate()
    territory, login = demo_prepare()
    print(gettext("Demo territory: %(name)s (%(n)d actors)")
          % {"name": territory.name, "n": territory.actors.count()})
    print(gettext("Log in with the demo facilitator account:"))
    print("  " + gettext("Username: %(user)s") % {"user": login.username})
    print("  " + (gettext("Password: %(password)s") % {"password": login.password}
                  if login.password else gettext("Password: the one you chose")))
    # One line per other role, "Account [role]: username / password (actor)", a format
    # distinct from the facilitator's lines above so both can be read by a script.
    print(gettext("Other demo accounts, one per role:"))
    for other in demo_other_accounts(territory=territory):
        print("  " + gettext("%(label)s [%(role)s]: %(user)s / %(password)s%(actor)s") % {
            "label": Role(other.role).label, "role": other.role, "user": other.username,
            "password": other.password or gettext("(the password you chose)"),
            "actor": f" ({other.actor})" if other.actor else ""})
    from symbiose.web.demo_region import demo_region_ensure

    # The region exists by now (demo_prepare made it): this only lists its accounts.
    for regional in demo_region_ensure(territory=territory, by=None):
        print("  " + gettext("%(label)s [%(role)s]: %(user)s / %(password)s%(actor)s") % {
            "label": regional.label, "role": regional.role, "user": regional.username,
            "password": regional.password or gettext("(the password you chose)"),
            "actor": ""})
    return _serve(args.host, args.port)


def cmd_serve(args: argparse.Namespace) -> int:
    django_setup()
    migrate()
    return _serve(args.host, args.port)


def cmd_import(args: argparse.Namespace) -> int:
    django_setup()
    from django.utils.translation import gettext
    from tqdm import tqdm

    from symbiose.web.territory.services import TerritoryNameInvalid
    from symbiose.web.transfer.importing import ImportConflict, bundle_import
    from symbiose.web.transfer.reporting import outcome_lines

    bundle = Path(args.bundle)
    migrate()
    with tqdm(desc=gettext("rows read"), unit=" rows", file=sys.stderr, disable=None,
              leave=False) as bar:

        def advance(rows: int) -> None:
            bar.update(rows)

        try:
            outcome = bundle_import(
                territory_name=args.territory, path=bundle, dry_run=args.dry_run,
                default_year=args.year, progress=advance, limits=read_limits(args),
            )
        except (ImportConflict, TerritoryNameInvalid) as refusal:
            print(str(refusal), file=sys.stderr)
            return 1
    for line in outcome_lines(outcome, dry_run=args.dry_run):
        print(line)
    return 0 if outcome.check.ok else 1


def cmd_export(args: argparse.Namespace) -> int:
    django_setup()
    from django.utils.translation import gettext

    from symbiose.web.transfer import exporting

    migrate()
    territory = territory_named(args.territory)
    if territory is None:
        return 1
    out = Path(args.out)
    exporting.bundle_export(territory=territory, path=out)
    print(gettext("Exported “%(name)s” to %(path)s") % {"name": territory.name, "path": out})
    return 0


def cmd_user_create(args: argparse.Namespace) -> int:
    """Create an account with its role on a territory; the password comes from the
    environment variable named by --password-env, never from the command line (where
    the process list and the shell history would show it)."""
    django_setup()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    from symbiose.web.accounts.services import AccountError, user_create
    from symbiose.web.territory import selectors

    migrate()
    password = os.environ.get(args.password_env, "")
    if not password:
        print(gettext("The environment variable %(var)s is empty or not set.")
              % {"var": args.password_env}, file=sys.stderr)
        return 2
    territory = selectors.territory_get_by_name(name=args.territory)
    if territory is None:
        print(gettext("No territory named “%(name)s”.") % {"name": args.territory},
              file=sys.stderr)
        return 1
    wanted = list(args.actor or ())
    actors = list(selectors.actor_list(territory=territory).filter(external_id__in=wanted))
    missing = sorted(set(wanted) - {actor.external_id for actor in actors})
    if missing:
        print(gettext("No actor with the identifier %(ids)s in this territory.")
              % {"ids": ", ".join(missing)}, file=sys.stderr)
        return 1
    try:
        validate_password(password)
        user = user_create(username=args.username, territory=territory, role=args.role,
                           actors=actors, password=password, email=args.email)
    except ValidationError as weak:
        print("\n".join(weak.messages), file=sys.stderr)
        return 1
    except AccountError as refused:
        print(str(refused), file=sys.stderr)
        return 1
    print(gettext("Account “%(user)s” created: %(role)s of “%(territory)s”.")
          % {"user": user.username, "role": args.role, "territory": territory.name})
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

    def read_limit_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--max-rows", type=int, default=None, metavar="N",
                       help="read at most N rows per table (default 20,000,000)")
        p.add_argument("--max-megabytes", type=int, default=None, metavar="M",
                       help="read tables of at most M MB once uncompressed (default 8192)")

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
    read_limit_options(imp)
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", help="export a territory as a bundle",
                         description="Export a territory: OUT is a folder (CSV files) or a "
                         "file ending in .xlsx, .ods or .zip.")
    exp.add_argument("territory", metavar="NAME", help="territory name")
    exp.add_argument("out", metavar="OUT",
                     help="a folder, or a file ending in .xlsx, .ods or .zip")
    exp.set_defaults(func=cmd_export)

    user = sub.add_parser("user", help="manage accounts (user create …)",
                          description="Manage accounts and their roles on territories.")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    create = user_sub.add_parser(
        "create", help="create an account with its role on a territory",
        description="Create an account with its role on a territory. The password is "
        "read from the environment variable named by --password-env.")
    create.add_argument("username", metavar="USERNAME")
    create.add_argument("--territory", required=True, help="territory name")
    create.add_argument("--role", required=True, choices=["facilitator", "member", "observer"])
    create.add_argument("--actor", action="append", metavar="ACTOR_ID",
                        help="for a member: the identifier of its actor (repeatable)")
    create.add_argument("--password-env", required=True, metavar="VAR",
                        help="name of the environment variable holding the password")
    create.add_argument("--email", default="", help="email address (for password reset)")
    create.set_defaults(func=cmd_user_create)

    matcher = sub.add_parser("match", help="detect synergies in a bundle (no database)",
                             description="Classify every resource, detect substitution, "
                             "pooling and sharing synergies and write them best first.")
    matcher.add_argument("bundle", help="a folder of CSV files, an .xlsx workbook or a .zip")
    matcher.add_argument("--out", default="synergies.csv", help="default: synergies.csv")
    matcher.add_argument("--radius-km", type=float, default=50.0,
                         help="largest distance between partners (default 50 km)")
    matcher.add_argument("--top", type=int, default=3,
                         help="proposals kept per need (default 3)")
    where = matcher.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="N",
                       help="match tile by tile on a local Dask cluster of N processes "
                       "(the same proposals)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="match on the Dask cluster whose scheduler is at ADDRESS "
                       "(e.g. tcp://10.0.0.5:8786)")
    matcher.add_argument("--tiles", type=int, metavar="N",
                         help="with --workers or --scheduler: number of tiles "
                         "(default 4 per worker)")
    matcher.add_argument("--scratch", metavar="DIR",
                         help="with --workers or --scheduler: where the tiles' files go, "
                         "a folder every worker reads at the same path (default: the "
                         "output's folder)")
    read_limit_options(matcher)
    matcher.set_defaults(func=cmd_match)

    recv = sub.add_parser("receivers", help="sectors most likely to take an output",
                          description="Print CSV nace_division,score,explanation, best first.")
    recv.add_argument("--ewc", default="", help="EWC code of the output, any spelling")
    recv.add_argument("--label", default="", help="the output as its producer words it")
    recv.add_argument("--from-naf", default="",
                      help="the provider's activity (NAF/NACE code), when known")
    recv.add_argument("--top", type=int, default=5, help="how many sectors (default 5)")
    recv.set_defaults(func=cmd_receivers)

    synth = sub.add_parser("synth", help="write a realistic synthetic territory bundle",
                           description="For benchmarks and tests: sector mix, flows by "
                           "sector and spatial clusters, reproducible from the seed.")
    synth.add_argument("--actors", type=int, required=True, help="number of actors")
    synth.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    synth.add_argument("--resources", type=int, default=None,
                       help="number of resources (default: what the actors' flows give)")
    synth.add_argument("out", metavar="OUT", help="a folder, or a file ending in .xlsx")
    synth.set_defaults(func=cmd_synth)

    add_meetings_command(sub)
    add_digest_command(sub)
    add_campaign_command(sub)
    add_worker_command(sub)
    add_report_command(sub)

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
