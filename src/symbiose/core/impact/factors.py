"""Emission factors by resource class, with the source of each, in swappable sets.

The packaged set comes from the UK DESNZ greenhouse gas conversion factors 2025 (Open
Government Licence v3; the rows used are named by their DESNZ ID in
`data/factors_desnz_2025.csv`). Roles:
- production: kg CO2e per tonne of primary material whose production a substitute avoids;
- disposal: kg CO2e per tonne of waste sent to landfill, avoided when the output is used;
- energy: kg CO2e per MWh of the fuel or electricity a recovered energy replaces;
- transport: kg CO2e per tonne.km by average laden HGV.
France's reference is ADEME's Base Carbone: `base_carbone_factors` reads an export of it
(CSV, as downloaded) and a mapping of classes to its element identifiers, and overrides
the packaged factors it covers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path

from symbiose.core.errors import SymbioseError

DATA_PACKAGE = "symbiose.core.impact.data"
ROLES = ("production", "disposal", "energy", "transport")


class FactorError(SymbioseError):
    """A factor file that cannot be read or a mapping to an element it does not contain."""


@dataclass(frozen=True, slots=True)
class Factor:
    kgco2e: float  # per unit
    unit: str  # "t", "MWh", "tonne.km"
    source: str  # what a reader needs to find the figure: set, identifier, label


@dataclass(frozen=True, slots=True)
class FactorSet:
    name: str
    production: Mapping[str, Factor] = field(default_factory=dict)
    disposal: Mapping[str, Factor] = field(default_factory=dict)
    energy: Mapping[str, Factor] = field(default_factory=dict)
    transport: Factor | None = None


@cache
def desnz_factors() -> FactorSet:
    """The packaged set: UK DESNZ 2025 conversion factors (OGL v3)."""
    text = files(DATA_PACKAGE).joinpath("factors_desnz_2025.csv").read_text(encoding="utf-8")
    roles: dict[str, dict[str, Factor]] = {role: {} for role in ROLES}
    for row in csv.DictReader(io.StringIO(text)):
        factor = Factor(float(row["kgco2e"]), row["unit"],
                        f"DESNZ 2025 {row['source_id']}: {row['source_label']}")
        roles[row["role"]][row["class_id"]] = factor
    return FactorSet("DESNZ 2025", roles["production"], roles["disposal"], roles["energy"],
                     roles["transport"].get(""))


# Column names of a Base Carbone export (ADEME), and its units per tonne / per kWh.
BC_ID = "Identifiant de l'élément"
BC_NAME = "Nom base français"
BC_UNIT = "Unité français"
BC_VALUE = "Total poste non décomposé"
BC_LINE = "Type Ligne"
_BC_UNITS = {"kgco2e/tonne": ("t", 1.0), "kgco2e/t": ("t", 1.0), "kgco2e/kg": ("t", 1000.0),
             "kgco2e/kwh": ("MWh", 1000.0), "kgco2e/mwh": ("MWh", 1.0),
             "kgco2e/t.km": ("tonne.km", 1.0), "kgco2e/tonne.km": ("tonne.km", 1.0)}


def _read_export(path: Path) -> dict[str, tuple[str, str, str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    elements: dict[str, tuple[str, str, str]] = {}
    for row in csv.DictReader(io.StringIO(text), dialect=dialect):
        if row.get(BC_LINE, "Elément").strip().lower() not in ("elément", "element", ""):
            continue  # "Poste" lines decompose an element: the element line has the total
        ident = (row.get(BC_ID) or "").strip()
        if ident:
            elements[ident] = (row.get(BC_NAME, ""), row.get(BC_UNIT, ""), row.get(BC_VALUE, ""))
    if not elements:
        raise FactorError(f"{path}: no Base Carbone element found (columns {BC_ID!r} ...)")
    return elements


def base_carbone_factors(path: str | Path, mapping: Mapping[tuple[str, str], str],
                         base: FactorSet | None = None) -> FactorSet:
    """The `base` set (default: DESNZ) with the factors of a Base Carbone export.

    `mapping`: (role, class id) -> Base Carbone element identifier; role "transport" takes
    class id "". Values with a decimal comma and units in kgCO2e per tonne, kg, kWh, MWh
    or t.km are understood; anything else is refused, naming the element.
    """
    base = desnz_factors() if base is None else base
    elements = _read_export(Path(path))
    roles: dict[str, dict[str, Factor]] = {
        "production": dict(base.production), "disposal": dict(base.disposal),
        "energy": dict(base.energy),
    }
    transport = base.transport
    for (role, class_id), ident in mapping.items():
        if role not in ROLES:
            raise FactorError(f"unknown role {role!r}")
        if ident not in elements:
            raise FactorError(f"Base Carbone element {ident} is not in {path}")
        name, unit_text, value_text = elements[ident]
        unit_key = unit_text.replace(" ", "").replace("CO2e", "co2e").lower()
        if unit_key not in _BC_UNITS:
            raise FactorError(f"Base Carbone element {ident}: unit {unit_text!r} not understood")
        unit, scale = _BC_UNITS[unit_key]
        try:
            value = float(value_text.replace(",", ".").replace("\u202f", "").replace(" ", ""))
        except ValueError as error:
            raise FactorError(f"Base Carbone element {ident}: value {value_text!r}") from error
        factor = Factor(value * scale, unit, f"ADEME Base Carbone {ident}: {name}")
        if role == "transport":
            transport = factor
        else:
            roles[role][class_id] = factor
    return replace(base, name=f"Base Carbone over {base.name}", production=roles["production"],
                   disposal=roles["disposal"], energy=roles["energy"], transport=transport)
