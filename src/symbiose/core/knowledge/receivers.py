"""The activity sectors (NACE divisions) most likely to take an output.

A facilitator holding one company's waste asks "who could use this?". Three kinds of
knowledge answer, each with its source:
- the substitution rules leaving the output's class (`substitutions.yaml`): each lists the
  divisions that typically receive it, most typical first; a division's score adds, over
  the rules, the rule's fit times the class's classification confidence, discounted by the
  division's rank in the rule; the class alternatives contribute in proportion to theirs;
- the receiving sectors of the output's EWC code (`receivers.yaml`): its code, sub-chapter
  and chapter, the most specific weighing most (a code says what a waste is and, through
  its chapter, which activity made it);
- the provider's activity when known (`receivers.yaml`, `activity`): a brewery's spent
  grain goes to cattle and feed makers, a foundry's sand to cement and civil works, and a
  recycler's output to industry rather than to another waste firm.
Each kind is scaled to its best division before they are added, so that none drowns the
others by the number of rules it happens to have.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from symbiose.core.classes.vocabulary import class_label, resource_classes
from symbiose.core.i18n import gettext_noop
from symbiose.core.knowledge.activity import classify_as_actor
from symbiose.core.knowledge.base import KnowledgeBase, KnowledgeError, knowledge_base
from symbiose.core.nomenclature.naf import nace_headings
from symbiose.core.yamldata import yaml_parse

_RANK_DECAY = 0.6
# Weights of the three kinds of knowledge once each is scaled to its best division
# (tuned on benchmarks/receivers_dev.py, the project's own development exchanges).
_CLASS_WEIGHT = 1.0
_EWC_WEIGHT = 1.0
_ACTIVITY_WEIGHT = 0.5
# An EWC code's own entry weighs most, then its sub-chapter's, then its chapter's.
_EWC_LEVELS = ((6, 1.0), (4, 0.7), (2, 0.4))
_LOWERED = 0.3  # what is left of a division an activity entry lowers
# Sectors that receive most industrial symbiosis flows across the literature (cement and
# building materials, energy, agriculture, chemicals, metals, paper, waste treatment,
# food, civil engineering; Chertow 2000; Neves et al. 2020, J. Cleaner Production 247):
# a small prior that only breaks ties and fills a short list.
PRIOR = {"23": 0.05, "35": 0.045, "01": 0.04, "20": 0.035, "24": 0.03, "17": 0.025,
         "38": 0.02, "10": 0.02, "42": 0.015}
EXPLANATION = gettext_noop(
    "%(division_label)s typically takes %(class_label)s: %(process)s (source: %(source)s)."
)
DATA_PACKAGE = "symbiose.core.knowledge.data"


@dataclass(frozen=True, slots=True)
class Receiver:
    nace_division: str
    score: float
    explanation: str  # rendered English sentence
    template: str = EXPLANATION
    params: tuple[tuple[str, str], ...] = ()
    by_rule: bool = True  # knowledge names the sector (else: the general prior)


@dataclass(frozen=True, slots=True)
class TakerEntry:
    """One entry of `receivers.yaml`: the divisions it raises (and lowers), and why."""

    takers: tuple[str, ...]
    why: str
    source: str
    families: frozenset[str] = frozenset()
    lower: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReceiverKnowledge:
    by_ewc: Mapping[str, TakerEntry]  # EWC chapter, sub-chapter or code (digits only)
    by_class: Mapping[str, TakerEntry]  # resource class
    by_activity: Mapping[str, tuple[TakerEntry, ...]]  # provider's NACE division or group
    sources: Mapping[str, str]


def _divisions(values: Any, where: str) -> tuple[str, ...]:
    found = tuple(str(v).zfill(2) for v in values or ())
    for division in found:
        if len(division) != 2 or not division.isdigit():
            raise KnowledgeError(f"receivers.yaml {where}: bad division {division!r}")
    return found


def _entry(key: str, raw: Mapping[str, Any], sources: Mapping[str, str],
           families: set[str]) -> TakerEntry:
    source = str(raw.get("source", ""))
    if source not in sources:
        raise KnowledgeError(f"receivers.yaml {key}: unknown source {source!r}")
    wanted = frozenset(str(f) for f in raw.get("families") or ())
    if wanted - families:
        raise KnowledgeError(f"receivers.yaml {key}: unknown families {sorted(wanted - families)}")
    return TakerEntry(_divisions(raw.get("takers"), key), str(raw.get("why", "")), source,
                      wanted, _divisions(raw.get("lower"), key))


def build_receiver_knowledge(document: Mapping[str, Any]) -> ReceiverKnowledge:
    """The receivers' knowledge from a parsed `receivers.yaml` document."""
    sources = {str(k): str(v) for k, v in (document.get("sources") or {}).items()}
    families = {c.family for c in resource_classes().values()}
    by_ewc = {}
    for key, raw in (document.get("ewc") or {}).items():
        code = "".join(ch for ch in str(key) if ch.isdigit())
        if len(code) not in (2, 4, 6):
            raise KnowledgeError(f"receivers.yaml ewc {key!r}: not a chapter, sub-chapter or code")
        by_ewc[code] = _entry(code, raw, sources, families)
    classes = resource_classes()
    by_class = {}
    for key, raw in (document.get("classes") or {}).items():
        if str(key) not in classes:
            raise KnowledgeError(f"receivers.yaml classes {key!r}: unknown class")
        by_class[str(key)] = _entry(str(key), raw, sources, families)
    by_activity = {}
    for key, raw in (document.get("activity") or {}).items():
        code = "".join(ch for ch in str(key) if ch.isdigit()).zfill(2)
        if len(code) not in (2, 3):
            raise KnowledgeError(f"receivers.yaml activity {key!r}: not a division or group")
        entries = raw if isinstance(raw, list) else [raw]
        by_activity[code] = tuple(_entry(code, e, sources, families) for e in entries)
    return ReceiverKnowledge(by_ewc, by_class, by_activity, sources)


def trade_entry(rk: ReceiverKnowledge, naf: str, family: str) -> TakerEntry | None:
    """The activity entry for a provider's NAF code and an output's family: the group's
    (three digits) before the division's, the first whose families hold the output's."""
    digits = "".join(ch for ch in naf if ch.isdigit())
    for code in (digits[:3], digits[:2]):
        if len(code) < 2:
            continue
        for entry in rk.by_activity.get(code, ()):
            if not entry.families or family in entry.families:
                return entry
    return None


@cache
def receiver_knowledge() -> ReceiverKnowledge:
    """The packaged receivers' knowledge (loaded once)."""
    text = files(DATA_PACKAGE).joinpath("receivers.yaml").read_text(encoding="utf-8")
    return build_receiver_knowledge(yaml_parse(text))


class _Tally:
    """Scores of one kind of knowledge, with the best reason for each division."""

    def __init__(self) -> None:
        self.scores: dict[str, float] = {}
        self.why: dict[str, tuple[float, dict[str, str]]] = {}

    def add(self, division: str, gain: float, params: dict[str, str]) -> None:
        self.scores[division] = self.scores.get(division, 0.0) + gain
        if gain > self.why.get(division, (0.0, {}))[0]:
            self.why[division] = (gain, params)

    def scaled(self, weight: float) -> dict[str, float]:
        """The scores with the best one at `weight`; the reasons scaled alike, so that
        the reasons of different kinds of knowledge compare by what they added."""
        top = max(self.scores.values(), default=0.0)
        if not top:
            return {}
        self.why = {d: (gain * weight / top, params) for d, (gain, params) in self.why.items()}
        return {d: weight * s / top for d, s in self.scores.items()}


def receivers(ewc: str = "", label: str = "", *, top: int = 5,
              knowledge: KnowledgeBase | None = None, from_naf: str = "") -> list[Receiver]:
    """Likely receiving NACE divisions, best first; empty when the output is unclassified.

    `from_naf`, the provider's activity when known, reads the label as that trade means it
    (a paper mill's "fibres" are pulp fibres, a weaver's are textile fibres) and raises the
    sectors that usually take that trade's outputs.
    """
    kb = knowledge_base() if knowledge is None else knowledge
    found = classify_as_actor(label, ewc, naf=from_naf, direction="out")
    rk = receiver_knowledge()
    code = "".join(ch for ch in ewc if ch.isdigit())
    if not found.classified and not (len(code) == 6 and code[:2] in rk.by_ewc):
        return []
    headings = nace_headings()

    def heading(division: str) -> str:
        known = headings.get(division)
        return known.label_en if known else division

    the_class = class_label(found.class_id, "en").lower() if found.classified else "this waste"
    by_class = _Tally()
    weighted = [(found.class_id, max(found.confidence, 0.05)), *found.alternatives]
    for class_id, weight in weighted if found.classified else []:
        for rule in kb.from_class(class_id):
            for rank, division in enumerate(rule.nace):
                by_class.add(division, rule.fit * float(weight) * _RANK_DECAY**rank, {
                    "division_label": heading(division),
                    "class_label": class_label(class_id, "en").lower(),
                    "process": rule.process_en,
                    "source": _short(kb.citation(rule)),
                })
        own = rk.by_class.get(class_id)
        if own is None:
            continue
        for rank, division in enumerate(own.takers):
            by_class.add(division, float(weight) * _RANK_DECAY**rank,
                         _entry_params(own, heading(division),
                                       class_label(class_id, "en").lower(), rk))
    family = resource_classes()[found.class_id].family if found.classified else ""
    by_code = _Tally()
    if len(code) == 6:
        for digits, weight in _EWC_LEVELS:
            entry = rk.by_ewc.get(code[:digits])
            if entry is None:
                continue
            for rank, division in enumerate(entry.takers):
                by_code.add(division, weight * _RANK_DECAY**rank,
                            _entry_params(entry, heading(division), the_class, rk))
    by_trade = _Tally()
    lowered: tuple[str, ...] = ()
    trade = trade_entry(rk, from_naf, family) if family else None
    if trade is not None:
        lowered = trade.lower
        for rank, division in enumerate(trade.takers):
            by_trade.add(division, _RANK_DECAY**rank,
                         _entry_params(trade, heading(division), the_class, rk))
    scores: dict[str, float] = {}
    for tally, weight in ((by_class, _CLASS_WEIGHT), (by_code, _EWC_WEIGHT),
                          (by_trade, _ACTIVITY_WEIGHT)):
        for division, score in tally.scaled(weight).items():
            scores[division] = scores.get(division, 0.0) + score
    for division, prior in PRIOR.items():
        scores[division] = scores.get(division, 0.0) + prior
    for division in lowered:
        if division in scores:
            scores[division] *= _LOWERED
    total = sum(scores.values()) or 1.0
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:top]
    out = []
    for division, score in ranked:
        reasons = [t.why[division] for t in (by_class, by_code, by_trade) if division in t.why]
        params = max(reasons, key=lambda r: r[0])[1] if reasons else _prior_params(division)
        out.append(Receiver(division, round(score / total, 3), EXPLANATION % params,
                            EXPLANATION, tuple(params.items()), by_rule=bool(reasons)))
    return out


def _entry_params(entry: TakerEntry, division_label: str, the_class: str,
                  rk: ReceiverKnowledge) -> dict[str, str]:
    return {"division_label": division_label, "class_label": the_class,
            "process": entry.why, "source": _short(rk.sources.get(entry.source, entry.source))}


def _short(citation: str, limit: int = 70) -> str:
    """A citation short enough for one spoken sentence."""
    return citation if len(citation) <= limit else citation[: limit - 1].rstrip() + "…"


def _prior_params(division: str) -> dict[str, str]:
    heading = nace_headings().get(division)
    return {
        "division_label": heading.label_en if heading else division,
        "class_label": "many industrial outputs",
        "process": "a frequent receiver in industrial symbiosis",
        "source": "Chertow 2000; Neves et al. 2020",
    }


def receivers_csv(found: list[Receiver]) -> str:
    """The `symbiose receivers` output: CSV `nace_division,score,explanation`, best first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["nace_division", "score", "explanation"])
    for receiver in found:
        writer.writerow([receiver.nace_division, f"{receiver.score:.3f}", receiver.explanation])
    return buffer.getvalue()
