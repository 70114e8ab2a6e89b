"""Tiny inline territories for the matching tests."""

from __future__ import annotations

from decimal import Decimal

from symbiose.core.bundle import ActorRecord, ResourceRecord


def actor(id_: str, lat: float | None = 48.76, lon: float | None = 6.12,
          naf: str = "") -> ActorRecord:
    return ActorRecord(
        id=id_, name=id_.capitalize(), naf=naf,
        lat=None if lat is None else Decimal(str(lat)),
        lon=None if lon is None else Decimal(str(lon)),
    )


def resource(actor_id: str, direction: str, label: str, *, ewc: str = "", kind: str = "",
             quantity: float | None = None, unit: str = "") -> ResourceRecord:
    return ResourceRecord(
        id=f"{actor_id}-{direction}-{label}", actor_id=actor_id, direction=direction,
        label=label, year=2024, kind=kind, ewc=ewc,
        quantity=None if quantity is None else Decimal(str(quantity)), unit=unit,
    )
