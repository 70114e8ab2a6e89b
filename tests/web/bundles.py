"""A small territory bundle as a facilitator's CSV files, and what the database holds,
for the tests of imports, exports and the pages built on an imported territory."""

from __future__ import annotations

from pathlib import Path

from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Commune, Resource, Territory, Zone

ACTORS = """id,name,naf,kind,lat,lon,commune,zone,employees
a1,Fonderie Test,24.53Z,company,47.18,3.02,La Charité,ZI,110
a2,Ferme Test,01.50Z,farm,47.21,3.03,Narcy,,4
"""
RESOURCES = """actor_id,direction,label,kind,ewc,quantity,unit,period,cost_eur,confidentiality
a1,out,Chaleur fatale des fours,energy,,4200,MWh,,,private
a1,out,Sables de fonderie usagés,material,10 10 08,1100,t,,44000,
a2,in,Chaleur pour le digesteur,energy,,650,MWh,,,
"""


def write_bundle(folder: Path, actors: str = ACTORS, resources: str = RESOURCES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "actors.csv").write_text(actors, encoding="utf-8")
    (folder / "resources.csv").write_text(resources, encoding="utf-8")
    return folder


def snapshot() -> tuple[int, ...]:
    return (
        Territory.objects.count(), Actor.objects.count(), Resource.objects.count(),
        Commune.objects.count(), Zone.objects.count(), Proposal.objects.count(),
    )
