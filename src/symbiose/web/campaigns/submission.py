"""The company's answer to a campaign: its year-Y balance, written through the balance
entry's own services (`resource_create`, `resource_update`, `resource_delete`,
`likely_flow_accept`, each audited) in one transaction, all or nothing, once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.core.knowledge.flows import LikelyFlow
from symbiose.web.campaigns.models import Invitation
from symbiose.web.campaigns.selectors import Prefill
from symbiose.web.campaigns.services import CampaignRefused
from symbiose.web.territory.models import Resource
from symbiose.web.territory.services_entry import (
    likely_flow_accept,
    resource_create,
    resource_delete,
    resource_update,
)

# What a copied line keeps of last year's, besides what the company confirms or changes.
COPIED = ("direction", "resource_class", "ewc_code", "period", "cost_eur",
          "confidentiality", "notes")


@dataclass(frozen=True)
class LineAnswer:
    """What the company said of one pre-filled line."""

    source: Resource
    drop: bool
    label: str
    quantity: Decimal | None
    unit: str

    def changes(self) -> dict[str, Any]:
        typed = {"label": self.label, "quantity": self.quantity, "unit": self.unit}
        return {k: v for k, v in typed.items() if getattr(self.source, k) != v}


@dataclass(frozen=True)
class NewLine:
    direction: str
    label: str
    quantity: Decimal | None
    unit: str


def invitation_submit(*, invitation: Invitation, prefill: Prefill,
                      answers: Sequence[LineAnswer], new: Sequence[NewLine],
                      likely: Sequence[LikelyFlow], by: AbstractBaseUser | None
                      ) -> dict[str, int]:
    """Write the answer as the actor's lines of the campaign's year; refuse a second one.

    Lines of year Y are changed or removed in place; lines of an earlier year are copied
    into year Y as confirmed or changed (a dropped one is simply not copied). The
    invitation is locked first: of two posts at once, the second finds it submitted.
    """
    year = invitation.campaign.year
    actor = invitation.actor
    summary = {"kept": 0, "changed": 0, "dropped": 0, "added": 0, "likely": 0}
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.status == Invitation.Status.SUBMITTED:
            raise CampaignRefused(gettext("This balance was already submitted."))
        if invitation.campaign.state != invitation.campaign.State.OPEN:
            raise CampaignRefused(gettext("This campaign is closed."))
        for answer in answers:
            changes = answer.changes()
            if answer.drop:
                summary["dropped"] += 1
                if prefill.same_year:
                    resource_delete(resource=answer.source, by=by)
            elif prefill.same_year:
                if changes:
                    resource_update(resource=answer.source, data=changes, by=by)
                summary["changed" if changes else "kept"] += 1
            else:
                data = {k: getattr(answer.source, k) for k in COPIED}
                data.update(label=answer.label, quantity=answer.quantity, unit=answer.unit)
                resource_create(actor=actor, year=year, data=data, by=by)
                summary["changed" if changes else "kept"] += 1
        for line in new:
            resource_create(actor=actor, year=year, by=by, data={
                "direction": line.direction, "label": line.label, "quantity": line.quantity,
                "unit": line.unit, "period": Resource.Period.YEAR,
                "confidentiality": Resource.Confidentiality.PRIVATE})
            summary["added"] += 1
        for flow in likely:
            likely_flow_accept(actor=actor, year=year, flow=flow, by=by)
            summary["likely"] += 1
        now = timezone.now()
        locked.status = Invitation.Status.SUBMITTED
        locked.submitted_at = now
        locked.opened_at = locked.opened_at or now
        locked.summary = summary
        locked.save(update_fields=["status", "submitted_at", "opened_at", "summary"])
    invitation.refresh_from_db()
    return summary
