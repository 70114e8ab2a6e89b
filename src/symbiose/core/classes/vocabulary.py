"""The resource classes: one hierarchical vocabulary, kind -> family -> class.

Kinds are those of CEN CWA 17354 (material, energy, water, equipment, service, skill,
logistics, space). The vocabulary is data (`data/classes.yaml`), so that a territory can read
it and the project can review it without reading code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any

from symbiose.core.errors import SymbioseError
from symbiose.core.yamldata import yaml_parse

DATA_PACKAGE = "symbiose.core.classes.data"
UNCLASSIFIED = "unclassified"
KINDS = ("material", "energy", "water", "equipment", "service", "skill", "logistics", "space")
MODES = ("pair", "pool", "both")
_DEFAULT_MODE = {
    "material": "pair", "energy": "pair", "water": "pair", "equipment": "pair", "space": "pair",
    "service": "pool", "skill": "pool", "logistics": "pool",
}


class VocabularyError(SymbioseError):
    """The classes file is inconsistent (unknown family, duplicate id, bad mode)."""


@dataclass(frozen=True, slots=True)
class ResourceClass:
    """A class of resources that can be exchanged, pooled or shared as one thing."""

    id: str
    kind: str
    family: str
    label_fr: str
    label_en: str
    synonyms: tuple[str, ...]
    mode: str
    pool: str
    # What the class is made of (chemical names, formulas, trade names, grades) and what
    # it is for (functions and end uses): a receiver often names its need by its use
    # ("clinker substitute", "make-up water") rather than by the supplier's word.
    materials: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    # A catch-all ("other raw materials", "fuel, to be specified"): reading it says little
    # of what the resource is.
    generic: bool = False
    # A need of this class gathers many supplies (a digester's feedstock, an incinerator's
    # waste): more suppliers are proposed to it than to a need one supplier fills.
    gathers: bool = False
    # Other kinds a line of this class is filed under as often as its own (its family's
    # `also`): a fuel is bought by the tonne, so a material line may name one.
    also_kinds: tuple[str, ...] = ()

    @property
    def pairs(self) -> bool:
        """Offers of this class are matched one-to-one with needs (substitution, sharing)."""
        return self.mode in ("pair", "both")

    @property
    def pools(self) -> bool:
        """Holders of this class are grouped (joint collection, purchasing, service)."""
        return self.mode in ("pool", "both")

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every wording that names the class: labels first, then synonyms."""
        return (self.label_fr, self.label_en, *self.synonyms, *self.materials, *self.uses)


@dataclass(frozen=True, slots=True)
class Family:
    id: str
    kind: str
    label_fr: str
    label_en: str
    also_kinds: tuple[str, ...] = ()


def _load_yaml(name: str) -> dict[str, Any]:
    text = files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    loaded = yaml_parse(text)
    if not isinstance(loaded, dict):
        raise VocabularyError(f"{name}: expected a mapping at the top level")
    return loaded


def _strings(entry: Mapping[str, Any], key: str) -> tuple[str, ...]:
    return tuple(str(s) for s in entry.get(key) or ())


def build_families(data: Mapping[str, Any]) -> dict[str, Family]:
    """The families of a parsed classes document, keyed by id, their kinds checked."""
    families = {
        fid: Family(fid, str(f["kind"]), str(f["fr"]), str(f["en"]), _strings(f, "also"))
        for fid, f in (data.get("families") or {}).items()
    }
    for family in families.values():
        for kind in (family.kind, *family.also_kinds):
            if kind not in KINDS:
                raise VocabularyError(f"family {family.id!r}: unknown kind {kind!r}")
    return families


def build_classes(data: Mapping[str, Any]) -> dict[str, ResourceClass]:
    """Validate a parsed classes document and build its classes, keyed by id."""
    families = build_families(data)
    classes: dict[str, ResourceClass] = {}
    for entry in data.get("classes") or ():
        cid = str(entry["id"])
        found = families.get(str(entry.get("family")))
        if found is None:
            raise VocabularyError(f"class {cid!r}: unknown family {entry.get('family')!r}")
        family = found
        if cid in classes or cid == UNCLASSIFIED:
            raise VocabularyError(f"class {cid!r} defined twice or reserved")
        mode = str(entry.get("mode", _DEFAULT_MODE[family.kind]))
        if mode not in MODES:
            raise VocabularyError(f"class {cid!r}: mode must be one of {MODES}")
        classes[cid] = ResourceClass(
            id=cid,
            kind=family.kind,
            family=family.id,
            label_fr=str(entry["fr"]),
            label_en=str(entry["en"]),
            synonyms=_strings(entry, "synonyms"),
            mode=mode,
            pool=str(entry.get("pool", cid)),
            materials=_strings(entry, "materials"),
            uses=_strings(entry, "uses"),
            generic=bool(entry.get("generic", False)),
            gathers=bool(entry.get("gathers", False)),
            also_kinds=family.also_kinds,
        )
    return classes


@cache
def resource_classes() -> Mapping[str, ResourceClass]:
    """The packaged vocabulary, keyed by class id, in file order (read-only, loaded once)."""
    return MappingProxyType(build_classes(_load_yaml("classes.yaml")))


@cache
def families() -> Mapping[str, Family]:
    """The families of the packaged vocabulary, keyed by id."""
    return MappingProxyType(build_families(_load_yaml("classes.yaml")))


def class_label(class_id: str, language: str = "fr") -> str:
    """The label people read; "unclassified" reads as such in both languages."""
    found = resource_classes().get(class_id)
    if found is None:
        return "non classé" if language == "fr" else "unclassified"
    return found.label_fr if language == "fr" else found.label_en
