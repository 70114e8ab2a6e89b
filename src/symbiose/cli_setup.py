"""Starting Django for a command: its language, its database, its migrations."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from symbiose.web.territory.models import Territory

import os


def language() -> str:
    """French unless the locale (or SYMBIOSE_LANGUAGE) says English."""
    wanted = os.environ.get("SYMBIOSE_LANGUAGE") or os.environ.get("LANG", "fr")
    return "en" if wanted.lower().startswith("en") else "fr"


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symbiose.web.settings")
    import django
    from django.utils import translation

    django.setup()
    _database_reachable()
    # The command line speaks the user's language: French unless the locale says English.
    translation.activate(language())


def _database_reachable() -> None:
    """Fail with one readable line, not a traceback, when the database is out of reach."""
    from django.db import DatabaseError, connection

    try:
        connection.ensure_connection()
    except DatabaseError as error:
        where = os.environ.get("DATABASE_URL") or "SQLite"
        raise SystemExit(f"symbiose: cannot open the database ({where}): {error}") from error


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def territory_named(name: str) -> Territory | None:
    """The territory of that name; None, with the names there are said on stderr, when
    there is none (the commands that take a territory by name say it alike)."""
    import sys

    from django.utils.translation import gettext

    from symbiose.web.territory import selectors

    territory = selectors.territory_get_by_name(name=name)
    if territory is None:
        names = ", ".join(t.name for t in selectors.territory_list()) or "—"
        print(gettext("No territory named “%(name)s”. Territories: %(names)s")
              % {"name": name, "names": names}, file=sys.stderr)
    return territory
