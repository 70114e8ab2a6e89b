"""The activity sectors (NACE divisions) most likely to take an output, from its class.

A facilitator holding one company's waste asks "who could use this?". The answer comes from
the knowledge base: every rule leaving the output's class lists the divisions that
typically receive it, most typical first. A division's score adds, over the rules, the
rule's fit times the classification confidence of the class, discounted by the division's
rank in the rule; the output's class alternatives contribute in proportion to theirs.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from symbiose.core.classes.vocabulary import class_label
from symbiose.core.i18n import gettext_noop
from symbiose.core.knowledge.activity import classify_as_actor
from symbiose.core.knowledge.base import KnowledgeBase, knowledge_base
from symbiose.core.nomenclature.naf import nace_headings

_RANK_DECAY = 0.6
# Sectors that receive most industrial symbiosis flows across the literature (cement and
# building materials, energy, agriculture, chemicals, metals, paper, waste treatment,
# food, civil engineering; Chertow 2000; Neves et al. 2020, J. Cleaner Production 247):
# a small prior that only breaks ties and fills a short list.
PRIOR = {"23": 0.05, "35": 0.045, "01": 0.04, "20": 0.035, "24": 0.03, "17": 0.025,
         "38": 0.02, "10": 0.02, "42": 0.015}
EXPLANATION = gettext_noop(
    "%(division_label)s typically takes %(class_label)s: %(process)s (source: %(source)s)."
)


@dataclass(frozen=True, slots=True)
class Receiver:
    nace_division: str
    score: float
    explanation: str  # rendered English sentence
    template: str = EXPLANATION
    params: tuple[tuple[str, str], ...] = ()
    by_rule: bool = True  # a substitution rule names the sector (else: the general prior)


def receivers(ewc: str = "", label: str = "", *, top: int = 5,
              knowledge: KnowledgeBase | None = None, from_naf: str = "") -> list[Receiver]:
    """Likely receiving NACE divisions, best first; empty when the output is unclassified.

    `from_naf`, the provider's activity when known, reads the label as that trade means it
    (a paper mill's "fibres" are pulp fibres, a weaver's are textile fibres).
    """
    kb = knowledge_base() if knowledge is None else knowledge
    found = classify_as_actor(label, ewc, naf=from_naf, direction="out")
    if not found.classified:
        return []
    weighted = [(found.class_id, max(found.confidence, 0.05)), *found.alternatives]
    scores: dict[str, float] = {}
    why: dict[str, tuple[float, dict[str, str]]] = {}
    headings = nace_headings()
    for class_id, weight in weighted:
        for rule in kb.from_class(class_id):
            for rank, division in enumerate(rule.nace):
                gain = rule.fit * float(weight) * _RANK_DECAY**rank
                scores[division] = scores.get(division, 0.0) + gain
                if gain > why.get(division, (0.0, {}))[0]:
                    heading = headings.get(division)
                    why[division] = (gain, {
                        "division_label": heading.label_en if heading else division,
                        "class_label": class_label(class_id, "en").lower(),
                        "process": rule.process_en,
                        "source": _short(kb.citation(rule)),
                    })
    for division, prior in PRIOR.items():
        scores[division] = scores.get(division, 0.0) + prior
    total = sum(scores.values()) or 1.0
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:top]
    out = []
    for division, score in ranked:
        params = why.get(division, (0.0, _prior_params(division)))[1]
        out.append(Receiver(division, round(score / total, 3), EXPLANATION % params,
                            EXPLANATION, tuple(params.items()), by_rule=division in why))
    return out


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
