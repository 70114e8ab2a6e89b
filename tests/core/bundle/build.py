"""Tiny bundles built inline, and a reader of what `check()` says about them."""

from __future__ import annotations

from pathlib import Path

from symbiose.core.bundle import CheckResult, Problem, read_bundle
from symbiose.core.bundle.columnar import BundleColumns, Triage, read_or_triage

ACTORS = """id,name,naf,kind,lat,lon,commune,zone,employees
a1,Fonderie Test,24.53Z,company,47.18,3.02,La Charité,ZI,110
a2,Ferme Test,01.50Z,farm,47.21,3.03,Narcy,,4
"""
RESOURCES = """actor_id,direction,label,kind,ewc,quantity,unit,period,cost_eur,confidentiality
a1,out,Chaleur fatale des fours,energy,,4200,MWh,,,private
a1,out,Sables de fonderie usagés,material,10 10 08,1100,t,,44000,
a2,in,Chaleur pour le digesteur,energy,,650,MWh,,,
"""
SYNERGIES = """type,supplier_id,receiver_id,actor_ids,resource,score,distance_km,quantity,unit,\
co2e_avoided_t,eur_saved,explanation
substitution,a1,a2,a1;a2,Chaleur fatale,0.82,3.4,650,MWh,120.5,15000,La fonderie chauffe \
le digesteur.
"""


def folder(tmp_path: Path, *, name: str = "bundle", encoding: str = "utf-8",
           **tables: str | bytes) -> Path:
    """A folder bundle; each keyword is a file name without .csv (None-like "" skips)."""
    path = tmp_path / name
    path.mkdir(parents=True, exist_ok=True)
    for table, content in tables.items():
        target = path / (table if "." in table else f"{table}.csv")
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode(encoding))
    return path


def check(path: Path, *, year: int = 2026, known: tuple[str, ...] = ()) -> CheckResult:
    with read_bundle(path, default_year=year, known_actor_ids=known) as reader:
        return reader.check()


def text(problem: Problem) -> str:
    """The message as an English reader sees it."""
    return problem.message % problem.params if problem.params else problem.message


def only(result: CheckResult) -> Problem:
    assert result.problem_total == 1, [text(p) for p in result.problems]
    return result.problems[0]


def located(problem: Problem) -> tuple[str, int | None, str | None, str | None]:
    return problem.where, problem.row, problem.column, problem.value


def triaged_checks(path: Path, year: int = 2026) -> tuple[
        BundleColumns | Triage | None, CheckResult, CheckResult | None]:
    """(the column-wise triage, the full row check, the row check told the rows the triage
    trusted, if it triaged)."""
    with read_bundle(path, default_year=year) as reader:
        found = read_or_triage(reader)
        full = reader.check()
        told = reader.check(trusted=found.trusted) if isinstance(found, Triage) else None
    return found, full, told
