"""The evaluation rule of spec/territory-bundle.md, applied to proposals.

Substitution and sharing: a known synergy is found when its supplier ranks among the first
k + 2 distinct suppliers proposed for its receiver (k = the receiver's number of known
suppliers), counting every substitution and sharing proposal for that receiver, best
first. Pooling: found when one proposed group holds at least half of the known group's
actors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from symbiose.core.bundle.records import SynergyRecord


@dataclass(frozen=True, slots=True)
class KnownSynergy:
    type: str
    supplier_id: str
    receiver_id: str
    actor_ids: tuple[str, ...]
    resource: str = ""


@dataclass(frozen=True, slots=True)
class CaseScore:
    found: tuple[KnownSynergy, ...]
    missed: tuple[KnownSynergy, ...]
    proposals: int
    actors: int

    @property
    def total(self) -> int:
        return len(self.found) + len(self.missed)

    @property
    def per_actor(self) -> float:
        return self.proposals / self.actors if self.actors else 0.0


def known_from_rows(rows: Iterable[dict[str, str]]) -> list[KnownSynergy]:
    """expected.csv rows (type, supplier_id, receiver_id, actor_ids, resource, source)."""
    return [
        KnownSynergy(
            type=row["type"].strip(),
            supplier_id=row.get("supplier_id", "").strip(),
            receiver_id=row.get("receiver_id", "").strip(),
            actor_ids=tuple(a.strip() for a in row.get("actor_ids", "").split(";") if a.strip()),
            resource=row.get("resource", ""),
        )
        for row in rows
    ]


def evaluate(proposals: Sequence[SynergyRecord], known: Sequence[KnownSynergy], *,
             actors: int) -> CaseScore:
    ranked = sorted(proposals, key=lambda p: -float(p.score or 0))
    suppliers: dict[str, list[str]] = {}
    for p in ranked:
        if p.type in ("substitution", "sharing") and p.supplier_id not in suppliers.setdefault(
            p.receiver_id, []
        ):
            suppliers[p.receiver_id].append(p.supplier_id)
    known_suppliers: dict[str, set[str]] = {}
    for s in known:
        if s.type in ("substitution", "sharing"):
            known_suppliers.setdefault(s.receiver_id, set()).add(s.supplier_id)
    groups = [set(p.actor_ids) for p in ranked if p.type == "pooling"]
    found: list[KnownSynergy] = []
    missed: list[KnownSynergy] = []
    for s in known:
        if s.type == "pooling":
            ok = any(2 * len(g & set(s.actor_ids)) >= len(s.actor_ids) for g in groups)
        else:
            k = len(known_suppliers[s.receiver_id])
            ok = s.supplier_id in suppliers.get(s.receiver_id, [])[: k + 2]
        (found if ok else missed).append(s)
    return CaseScore(tuple(found), tuple(missed), len(proposals), actors)


def is_known(proposal: SynergyRecord, known: Sequence[KnownSynergy]) -> bool:
    """Whether a proposal is one of the known synergies: the same supplier and receiver
    (substitution, sharing), or a group holding half of a known group (pooling)."""
    if proposal.type == "pooling":
        group = set(proposal.actor_ids)
        return any(2 * len(group & set(s.actor_ids)) >= len(s.actor_ids)
                   for s in known if s.type == "pooling")
    return any(s.type != "pooling" and s.supplier_id == proposal.supplier_id
               and s.receiver_id == proposal.receiver_id for s in known)
