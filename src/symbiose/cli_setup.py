"""Starting Django for a command: its language, its database, its migrations."""

from __future__ import annotations

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
