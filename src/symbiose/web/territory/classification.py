"""Resource classes written back to the flow balances, so filters and maps can use them."""

from __future__ import annotations

from django.db import transaction

from symbiose.core.knowledge import classify_as_actor
from symbiose.web.territory.models import Resource, Territory

BATCH = 2000


def resource_classes_fill(*, territory: Territory) -> int:
    """Give a class to every line of the territory that has none; returns how many.

    Each line is read with its actor's activity, as the matcher reads it, so that the
    class written back is the engine's own reading and not taken for a person's choice.
    Classification caches per distinct (label, code, kind, activity), so thousands of
    lines saying "palettes" cost one. A line the classifier cannot read stays empty
    (not "unclassified"), so a better classifier tries it again later.

    The lines are read a batch at a time, each batch read whole before its classes are
    written: on SQLite, a write while a read cursor of the same connection is still open
    fails at once ("database is locked") as soon as anyone else (a job's heartbeat, a
    member's save) has written since that read began.
    """
    unclassified = Resource.objects.filter(actor__territory=territory, resource_class="")
    filled, after = 0, 0
    while batch := list(unclassified.filter(pk__gt=after).order_by("pk")
                        .values_list("id", "label", "ewc_code", "kind", "actor__naf_code",
                                     "direction")[:BATCH]):
        after = batch[-1][0]
        changed = []
        for pk, label, ewc, kind, naf, direction in batch:
            found = classify_as_actor(label, ewc, kind, naf=naf, direction=direction)
            if found.classified:
                changed.append(Resource(pk=pk, resource_class=found.class_id))
        with transaction.atomic():
            # `updated_at` is left alone: the engine's class is no one's edit, and a
            # facilitator's edit form opened meanwhile must not read as stale.
            Resource.objects.bulk_update(changed, ["resource_class"])
        filled += len(changed)
    return filled
