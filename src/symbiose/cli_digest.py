"""`symbiose digest send`: the weekly digests that are due, for a scheduler to run.

Run it daily (or hourly) from cron or a systemd timer; each member's digest goes out a
week after its last one, whatever the run's frequency.
"""

from __future__ import annotations

import argparse

from symbiose.cli_setup import django_setup, migrate

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def cmd_digest_send(args: argparse.Namespace) -> int:
    django_setup()
    from django.utils import timezone
    from django.utils.translation import gettext

    from symbiose.web.company.digest import digests_send

    migrate()
    sent, empty = digests_send(now=timezone.now(), base_url=args.base_url.rstrip("/"))
    print(gettext("%(sent)d digest(s) sent, %(empty)d with nothing new.")
          % {"sent": sent, "empty": empty})
    return 0


def add_digest_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    digest = sub.add_parser("digest", help="the weekly digest to company members")
    actions = digest.add_subparsers(dest="digest_command", required=True, metavar="ACTION")
    send = actions.add_parser(
        "send", help="send the digests that are due (run it daily from cron or a timer)")
    send.add_argument("--base-url", default=DEFAULT_BASE_URL,
                      help="the address users open Symbiose at, for the links in the emails "
                           f"(default {DEFAULT_BASE_URL})")
    send.set_defaults(func=cmd_digest_send)
