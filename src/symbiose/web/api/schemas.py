"""The shapes of the API's answers; the OpenAPI schema is generated from them."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from symbiose.core.bundle.validate import AMOUNT_MAX


class TerritoryOut(Schema):
    slug: str
    name: str
    description: str


class CountOut(Schema):
    label: str
    count: int


class SummaryOut(Schema):
    """Figures are null when they would cover fewer than three actors (for members and
    observers)."""

    slug: str
    name: str
    role: str
    actor_count: int | None
    resource_count: int | None
    output_count: int | None
    input_count: int | None
    latest_year: int | None
    actors_by_kind: list[CountOut]
    actors_by_engagement: list[CountOut]


class ActorOut(Schema):
    id: str
    name: str
    kind: str
    naf_code: str
    commune: str
    zone: str
    latitude: Decimal | None
    longitude: Decimal | None
    employees: int | None
    engagement: str
    own: bool


class ResourceOut(Schema):
    id: int
    actor_id: str
    external_id: str
    year: int
    direction: str
    kind: str
    label: str
    resource_class: str
    ewc_code: str
    quantity: Decimal | None
    unit: str
    period: str
    cost_eur: Decimal | None
    confidentiality: str
    notes: str


class ResourcePatch(Schema):
    label: str | None = Field(None, min_length=1, max_length=500)
    quantity: Decimal | None = Field(None, ge=0, le=AMOUNT_MAX, max_digits=24, decimal_places=6)
    unit: str | None = Field(None, max_length=20)
    cost_eur: Decimal | None = Field(None, ge=0, le=AMOUNT_MAX, max_digits=16, decimal_places=2)
    confidentiality: str | None = Field(None, pattern="^(private|anonymous|public)$")
    notes: str | None = Field(None, max_length=5000)


class AnonymousResourceOut(Schema):
    sector: str
    within_km: int | None
    direction: str
    kind: str
    label: str
    ewc_code: str
    year: int
    quantity_low: Decimal | None
    quantity_high: Decimal | None
    unit: str
    period: str


class ProposalSideOut(Schema):
    actor_id: str | None
    name: str


class ProposalOut(Schema):
    id: int
    type: str
    resource: str
    sides: list[ProposalSideOut]
    score: Decimal | None
    distance_km: Decimal | None
    quantity_low: Decimal | None
    quantity_high: Decimal | None
    unit: str
    co2e_avoided_t: Decimal | None
    eur_saved: Decimal | None
    explanation: str
    stage: str
    stage_reason: str


class StageIn(Schema):
    stage: str
    reason: str = ""


class AuditEventOut(Schema):
    at: datetime.datetime
    username: str
    action: str
    detail: str


class ImportReportOut(Schema):
    ok: bool
    applied: bool
    lines: list[str]


class MessageOut(Schema):
    detail: str


class TerritoryPage(Schema):
    count: int
    items: list[TerritoryOut]


class ActorPage(Schema):
    count: int
    items: list[ActorOut]


class ResourcePage(Schema):
    count: int
    items: list[ResourceOut]


class AnonymousResourcePage(Schema):
    count: int
    items: list[AnonymousResourceOut]


class ProposalPage(Schema):
    count: int
    items: list[ProposalOut]


class AuditEventPage(Schema):
    count: int
    items: list[AuditEventOut]
