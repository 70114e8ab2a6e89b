"""Resource classes written back to the flow balances, so filters and maps can use them."""

from __future__ import annotations

from django.db import transaction

from symbiose.core.classify import classify
from symbiose.web.territory.bundle_sync import batched
from symbiose.web.territory.models import Resource, Territory

BATCH = 2000


def resource_classes_fill(*, territory: Territory) -> int:
    """Give a class to every line of the territory that has none; returns how many.

    `classify` caches per distinct (label, code, kind), so thousands of lines saying
    "palettes" cost one classification. A line the classifier cannot read stays empty
    (not "unclassified"), so a better classifier tries it again later.
    """
    lines = (
        Resource.objects.filter(actor__territory=territory, resource_class="")
        .values_list("id", "label", "ewc_code", "kind")
        .order_by("id")
    )
    filled = 0
    for chunk in batched(lines.iterator(chunk_size=BATCH), BATCH):
        changed = []
        for pk, label, ewc, kind in chunk:
            found = classify(label, ewc, kind)
            if found.classified:
                changed.append(Resource(pk=pk, resource_class=found.class_id))
        with transaction.atomic():
            # `updated_at` is left alone: the engine's class is no one's edit, and a
            # facilitator's edit form opened meanwhile must not read as stale.
            Resource.objects.bulk_update(changed, ["resource_class"])
        filled += len(changed)
    return filled
