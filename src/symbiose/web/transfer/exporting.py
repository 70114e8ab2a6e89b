"""Exporting a territory as a bundle (a folder of CSV files, a .zip, an .xlsx or .ods workbook),
for the command line, the API and the pages; a user's export is audited."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext

from symbiose.core.bundle import write_bundle
from symbiose.web.accounts.confidentiality import Confidentiality
from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_actors
from symbiose.web.synergies.selectors import territory_synergy_records
from symbiose.web.territory import selectors
from symbiose.web.territory.models import Resource, Territory
from symbiose.web.territory.visibility import ExportScope


def bundle_export(
    *, territory: Territory, path: Path, scope: ExportScope | None = None,
    by: AbstractBaseUser | None = None,
) -> None:
    """Write the territory as a bundle: a folder of CSV files, or an .xlsx or .ods workbook.

    `scope` comes from the visibility rules when a user asks (None: the whole territory,
    for the command line run by whoever holds the database); a user's export is audited.
    """
    actor_ids = scope.actor_ids if scope else None
    if by is not None:
        _audit_export(by=by, territory=territory, actor_ids=actor_ids)
    write_bundle(
        path,
        actors=selectors.territory_actor_records(territory=territory, actor_ids=actor_ids),
        resources=selectors.territory_resource_records(territory=territory,
                                                       actor_ids=actor_ids),
        synergies=(territory_synergy_records(territory=territory)
                   if scope is None or scope.synergies else iter(())),
    )




def _audit_export(*, by: AbstractBaseUser, territory: Territory,
                  actor_ids: Iterable[int] | None) -> None:
    """An export carries every line of the actors it covers: record it for each of them
    that keeps private lines."""
    private = Resource.objects.filter(actor__territory=territory,
                                      confidentiality=Confidentiality.PRIVATE)
    if actor_ids is not None:
        private = private.filter(actor_id__in=list(actor_ids))
    audit_actors(by=by, territory=territory,
                 actor_ids=private.values_list("actor_id", flat=True).distinct(),
                 action=AuditEvent.Action.EXPORT,
                 detail=gettext("Private lines exported in a spreadsheet"))
