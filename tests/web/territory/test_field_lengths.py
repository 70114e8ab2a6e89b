"""The core's table of column lengths (`core.bundle.lengths`, which cannot import Django)
stays equal to the models' max_length: a column widened or narrowed in a model fails here
until the core says the same."""

from __future__ import annotations

from django.db import models

from symbiose.core.bundle.lengths import FIELD_LENGTHS
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Commune, Resource, Zone

# Where each bounded bundle field is stored.
STORED_IN: dict[str, dict[str, tuple[type[models.Model], str]]] = {
    "actors": {"id": (Actor, "external_id"), "name": (Actor, "name"),
               "address": (Actor, "address"), "commune": (Commune, "name"),
               "zone": (Zone, "name")},
    "resources": {"actor_id": (Actor, "external_id"), "id": (Resource, "external_id"),
                  "label": (Resource, "label"),
                  "resource_class": (Resource, "resource_class")},
    "synergies": {"resource": (Proposal, "resource")},
}


def test_the_core_knows_every_stored_length_exactly() -> None:
    from_models = {
        table: {field: model._meta.get_field(name).max_length
                for field, (model, name) in fields.items()}
        for table, fields in STORED_IN.items()
    }
    assert from_models == FIELD_LENGTHS
