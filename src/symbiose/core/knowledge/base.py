"""The substitution knowledge base: which output class can feed which input class.

Rules are data (`data/substitutions.yaml`), each with its source. A territory extends the
packaged base with a file of the same format (`load_knowledge(extra=path)`): its rules are
added, and replace a packaged rule for the same (out, in) pair. A class whose mode is
`pair` or `both` also matches itself through an identity rule unless a rule says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

from symbiose.core.classes.vocabulary import ResourceClass, resource_classes
from symbiose.core.errors import SymbioseError
from symbiose.core.yamldata import yaml_parse

DATA_PACKAGE = "symbiose.core.knowledge.data"


class KnowledgeError(SymbioseError):
    """A knowledge file names an unknown class or source, or a value out of range."""


@dataclass(frozen=True, slots=True)
class SubstitutionRule:
    out_class: str
    in_class: str
    fit: float
    max_km: float
    process_en: str
    process_fr: str
    source: str  # key into KnowledgeBase.sources
    value_eur: float | None = None
    per: str = "t"
    nace: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    rules: tuple[SubstitutionRule, ...]
    sources: Mapping[str, str]

    def by_pair(self) -> Mapping[tuple[str, str], SubstitutionRule]:
        return MappingProxyType({(r.out_class, r.in_class): r for r in self.rules})

    def from_class(self, out_class: str) -> tuple[SubstitutionRule, ...]:
        """Rules whose output is `out_class`, best fit first."""
        found = [r for r in self.rules if r.out_class == out_class]
        return tuple(sorted(found, key=lambda r: -r.fit))

    def citation(self, rule: SubstitutionRule) -> str:
        return self.sources.get(rule.source, rule.source)


def _text(name: str) -> str:
    return files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def _rule(entry: Mapping[str, Any], classes: Mapping[str, ResourceClass],
          sources: Mapping[str, str]) -> SubstitutionRule:
    out_class, in_class = str(entry.get("out")), str(entry.get("in"))
    for cid in (out_class, in_class):
        if cid not in classes:
            raise KnowledgeError(f"rule {out_class} -> {in_class}: unknown class {cid!r}")
    source = str(entry.get("source", ""))
    if source not in sources:
        raise KnowledgeError(f"rule {out_class} -> {in_class}: unknown source {source!r}")
    fit = float(entry.get("fit", 1.0))
    if not 0.0 < fit <= 1.0:
        raise KnowledgeError(f"rule {out_class} -> {in_class}: fit must be in (0, 1]")
    process = entry.get("process") or {}
    value = entry.get("value_eur")
    return SubstitutionRule(
        out_class=out_class,
        in_class=in_class,
        fit=fit,
        max_km=float(entry.get("max_km", 50)),
        process_en=str(process.get("en", "")),
        process_fr=str(process.get("fr", process.get("en", ""))),
        source=source,
        value_eur=None if value is None else float(value),
        per=str(entry.get("per", "t")),
        nace=tuple(str(n).zfill(2) for n in entry.get("nace") or ()),
    )


def build_knowledge(documents: list[Mapping[str, Any]],
                    classes: Mapping[str, ResourceClass] | None = None) -> KnowledgeBase:
    """Merge parsed knowledge documents, later ones overriding earlier ones per pair."""
    classes = resource_classes() if classes is None else classes
    sources: dict[str, str] = {}
    identity: Mapping[str, Any] = {}
    for doc in documents:
        sources.update({str(k): str(v) for k, v in (doc.get("sources") or {}).items()})
        identity = doc.get("identity") or identity
    rules: dict[tuple[str, str], SubstitutionRule] = {}
    for doc in documents:
        for entry in doc.get("rules") or ():
            rule = _rule(entry, classes, sources)
            rules[(rule.out_class, rule.in_class)] = rule
    if identity:
        for cid, resource_class in classes.items():
            if resource_class.pairs and (cid, cid) not in rules:
                rules[(cid, cid)] = _rule({**identity, "out": cid, "in": cid}, classes, sources)
    return KnowledgeBase(tuple(rules.values()), MappingProxyType(sources))


def _parse(text: str, origin: str) -> Mapping[str, Any]:
    loaded = yaml_parse(text)
    if not isinstance(loaded, dict):
        raise KnowledgeError(f"{origin}: expected a mapping at the top level")
    return loaded


@cache
def knowledge_base() -> KnowledgeBase:
    """The packaged knowledge base (loaded once)."""
    return build_knowledge([_parse(_text("substitutions.yaml"), "substitutions.yaml")])


def load_knowledge(extra: str | Path | None = None) -> KnowledgeBase:
    """The packaged base, extended by a territory's own YAML file when one is given."""
    if extra is None:
        return knowledge_base()
    packaged = _parse(_text("substitutions.yaml"), "substitutions.yaml")
    path = Path(extra)
    return build_knowledge([packaged, _parse(path.read_text(encoding="utf-8"), str(path))])
