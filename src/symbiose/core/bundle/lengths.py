"""The longest text each bundle field may hold: the length of the database column it is
stored in.

PostgreSQL refuses an over-long value with an error at write time (SQLite keeps it
whole), so the check refuses it first, as a located problem. The core does not import
Django: the limits are written here, and a test holds them equal to the models'
`max_length`. Fields parsed into a code (NAF, EWC, SIRET, a unit, a choice) are bounded
by their parser and need no entry; notes and explanations are stored without a limit.
"""

from __future__ import annotations

from symbiose.core.i18n import gettext_noop

# table -> field -> the column's max_length (model and field in the comment).
FIELD_LENGTHS: dict[str, dict[str, int]] = {
    "actors": {
        "id": 100,  # Actor.external_id
        "name": 255,  # Actor.name
        "address": 255,  # Actor.address
        "commune": 200,  # Commune.name
        "zone": 200,  # Zone.name
    },
    "resources": {
        "actor_id": 100,  # Actor.external_id
        "id": 120,  # Resource.external_id
        "label": 500,  # Resource.label
        "resource_class": 100,  # Resource.resource_class
    },
    "synergies": {
        "resource": 500,  # Proposal.resource
    },
}

TOO_LONG = gettext_noop("%(length)s characters: this column holds %(limit)s at most; "
                        "shorten the text")

# How much of an over-long cell a message shows: enough to find it in the spreadsheet.
SHOWN_CHARS = 60


def shortened(text: str) -> str:
    """The start of an over-long cell, as a message shows it ("Palettes en bois…")."""
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS].rstrip() + "…"
