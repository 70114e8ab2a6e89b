"""Writes of the facilitator's workspace: actors created and edited by hand, lines of a
flow balance typed during a visit, likely flows accepted or set aside.

Each write is audited; edits refuse to overwrite a change made since the form was opened
(`submissions.stale`). Views guard create-forms against double posts (`submissions.once`).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from symbiose.core.knowledge import LikelyFlow, classify_as_actor
from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.submissions.stale import stale_check
from symbiose.web.submissions.writes import model_update
from symbiose.web.territory.models import (
    ACTOR_DATA_FIELDS,
    RESOURCE_DATA_FIELDS,
    Actor,
    Commune,
    DiscardedLikelyFlow,
    Resource,
    Territory,
    Zone,
)
from symbiose.web.territory.suggestions import class_kind

# Numbers and places stay empty as None; a text field left empty is "".
NULLABLE = ("latitude", "longitude", "employees", "commune", "zone")


def _audit(*, by: AbstractBaseUser | None, actor: Actor, detail: str) -> None:

    audit_record(by=by, territory=actor.territory, actor=actor,
                 action=AuditEvent.Action.CHANGE, detail=detail)


def _place(model: type[Commune] | type[Zone], territory: Territory,
           name: str) -> Commune | Zone | None:
    """The territory's commune or zone of that name (any case), created when new."""
    if not name:
        return None
    found = model.objects.filter(territory=territory, name__iexact=name).first()
    return found or model.objects.create(territory=territory, name=name)


def actor_external_id(*, territory: Territory, name: str) -> str:
    """A readable identifier from the name, unique within the territory."""
    base = (slugify(name) or "acteur")[:90]
    taken = set(Actor.objects.filter(territory=territory, external_id__startswith=base)
                .values_list("external_id", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _actor_data(territory: Territory, data: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values as the actor's fields: the commune and the zone typed as names
    (created when new), empty texts as ""."""
    values = {name: data.get(name) for name in ACTOR_DATA_FIELDS}
    values["commune"] = _place(Commune, territory, data.get("commune") or "")
    values["zone"] = _place(Zone, territory, data.get("zone") or "")
    return {name: "" if value is None and name not in NULLABLE else value
            for name, value in values.items()}


@transaction.atomic
def actor_create(*, territory: Territory, data: Mapping[str, Any],
                 by: AbstractBaseUser | None) -> Actor:
    actor = Actor(territory=territory,
                  external_id=actor_external_id(territory=territory, name=data["name"]))
    model_update(instance=actor, fields=ACTOR_DATA_FIELDS,
                 data=_actor_data(territory, data))
    _audit(by=by, actor=actor, detail=gettext("Actor “%(name)s” created") % {"name": actor.name})
    return actor


def actor_update(*, actor: Actor, data: Mapping[str, Any], seen: str,
                 by: AbstractBaseUser | None) -> Actor:
    """Change an actor; StaleEditError when someone changed it since `seen`."""
    with transaction.atomic():
        stale_check(actor, seen=seen)
        _, changed = model_update(instance=actor, fields=ACTOR_DATA_FIELDS,
                                  data=_actor_data(actor.territory, data))
        if changed:
            _audit(by=by, actor=actor, detail=gettext("Actor “%(name)s”: %(fields)s changed")
                   % {"name": actor.name, "fields": ", ".join(changed)})
    return actor


def resource_external_id(*, actor: Actor, year: int, label: str) -> str:
    """A stable id for a line typed by hand: its label, made unique by a short random
    suffix (bundles keep their own ids; this one must never collide with them)."""
    base = (slugify(label) or "ligne")[:60]
    while True:
        candidate = f"{actor.external_id[:40]}-{base}-{secrets.token_hex(3)}"
        if not Resource.objects.filter(actor=actor, year=year,
                                       external_id=candidate).exists():
            return candidate


# A line's kind follows its class; its direction is fixed once typed.
RESOURCE_ENTERED = tuple(name for name in RESOURCE_DATA_FIELDS if name != "kind")
RESOURCE_EDITABLE = tuple(name for name in RESOURCE_ENTERED if name != "direction")


@transaction.atomic
def resource_create(*, actor: Actor, year: int, data: Mapping[str, Any],
                    by: AbstractBaseUser | None) -> Resource:
    """A new line of the actor's balance of `year`. Without a chosen class, the label (and
    EWC code) decide it, so every line typed here is classified when it can be."""
    values = {name: data.get(name) for name in RESOURCE_ENTERED}
    for name in ("unit", "ewc_code", "notes", "resource_class"):
        values[name] = values[name] or ""
    if not values["resource_class"]:
        found = classify_as_actor(values["label"] or "", values["ewc_code"] or "",
                                  naf=actor.naf_code, direction=values["direction"] or "")
        values["resource_class"] = found.class_id if found.classified else ""
    line = Resource(actor=actor, year=year, kind=class_kind(values["resource_class"] or ""),
                    external_id=resource_external_id(actor=actor, year=year,
                                                     label=values["label"] or ""),
                    **values)
    line.full_clean()
    line.save()
    _audit(by=by, actor=actor, detail=gettext("Line “%(label)s” (%(year)d) added")
           % {"label": line.label, "year": year})
    return line


def likely_flow_accept(*, actor: Actor, year: int, flow: LikelyFlow,
                       by: AbstractBaseUser | None) -> Resource:
    """A likely flow of the actor's activity taken into its balance, private, its
    quantity the estimate for the headcount (when known), marked as estimated."""
    quantity = (Decimal(f"{flow.quantity:.4g}")
                if flow.quantity is not None and actor.employees is not None else None)
    note = gettext("Estimated from the activity (%(pct)d%% of such establishments); "
                   "to confirm with the actor.") % {"pct": round(flow.likelihood * 100)}
    return resource_create(actor=actor, year=year, by=by, data={
        "direction": flow.direction, "label": flow.label, "quantity": quantity,
        "unit": flow.unit if quantity is not None else "", "period": Resource.Period.YEAR,
        "confidentiality": Resource.Confidentiality.PRIVATE,
        "ewc_code": flow.ewc.replace(" ", "") if flow.direction == "out" else "",
        "notes": note, "resource_class": flow.class_id,
    })


def likely_flow_discard(*, actor: Actor, year: int, direction: str, class_id: str,
                        by: AbstractBaseUser | None) -> None:
    """Stop proposing this likely flow for the actor's balance of `year`."""
    _, created = DiscardedLikelyFlow.objects.get_or_create(
        actor=actor, year=year, direction=direction, class_id=class_id)
    if created:
        _audit(by=by, actor=actor, detail=gettext(
            "Likely flow “%(cls)s” set aside for %(year)d") % {"cls": class_id, "year": year})



def resource_update(*, resource: Resource, data: Mapping[str, Any],
                    by: AbstractBaseUser | None, seen: str = "") -> Resource:
    """Change a flow-balance line, validated as the admin would, and record the change.

    `seen` is the version the editor opened (`stale_stamp`): when someone changed the line
    since, StaleEditError is raised and nothing is written. Without it (an API client that
    sends none) the change applies as before.
    """
    with transaction.atomic():
        stale_check(resource, seen=seen)
        _, changed = model_update(instance=resource, fields=RESOURCE_EDITABLE, data=data)
        if changed:
            audit_record(by=by, territory=resource.actor.territory, actor=resource.actor,
                         action=AuditEvent.Action.CHANGE,
                         detail=gettext("Line “%(label)s” (%(year)d): %(fields)s changed") % {
                             "label": resource.label, "year": resource.year,
                             "fields": ", ".join(changed)})
    return resource


def resource_delete(*, resource: Resource, by: AbstractBaseUser | None) -> None:
    """Remove a flow-balance line its actor says is gone, and record it."""
    with transaction.atomic():
        _audit(by=by, actor=resource.actor, detail=gettext("Line “%(label)s” (%(year)d) removed")
               % {"label": resource.label, "year": resource.year})
        resource.delete()
