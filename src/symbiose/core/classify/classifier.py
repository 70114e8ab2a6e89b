"""A resource's class from its EWC code and/or its free-text label, with a confidence.

The code says what the waste is legally; the label says what the actor means, often more
precisely ("palettes" under 15 01 03 wooden packaging) and sometimes contrary to a
mis-chosen code. The rules of combination, in order:
- code and label agree: the class, with more confidence than either alone;
- only one of them speaks: that class, the code at 0.8 (the code -> class map is by
  rules), the label at its own evidence;
- they disagree: the label wins when it is confident and the code's class is a generic
  one or of the same family; otherwise the code wins, the label's class kept as an
  alternative that the matcher also uses.
The `kind` column, when given, halves the evidence of classes of another kind.
Nothing raises on bad text: a nonsense label is "unclassified" with confidence 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from symbiose.core.classes.ewc import ewc_class
from symbiose.core.classes.vocabulary import KINDS, UNCLASSIFIED, resource_classes
from symbiose.core.classify.text import listed_head
from symbiose.core.classify.textindex import TextIndex

EWC_CONFIDENCE = 0.8
_GENERIC = frozenset(
    {"mixed_waste", "chemicals_other", "mineral_residue", "raw_materials_other",
     "equipment_other", "plastic_packaging"}
)
_OTHER_KIND_FACTOR = 0.5
_TEXT_WINS_AT = 0.55
_ALTERNATIVES = 3


@dataclass(frozen=True, slots=True)
class Classification:
    """`alternatives` are the next likely classes with their confidence, best first."""

    class_id: str
    confidence: float
    method: str  # "ewc+text", "ewc", "text", "none"
    alternatives: tuple[tuple[str, float], ...] = ()

    @property
    def classified(self) -> bool:
        return self.class_id != UNCLASSIFIED


@cache
def _index() -> TextIndex:
    return TextIndex(resource_classes())


def text_evidence(label: str, kind: str = "") -> dict[str, float]:
    """Class id -> evidence from the label alone, the kind column applied."""
    return {cid: e for cid, (e, _) in _evidence_at(label, kind).items()}


def _evidence_at(label: str, kind: str) -> dict[str, tuple[float, frozenset[int]]]:
    evidence = dict(_index().evidence_at(label))
    if kind in KINDS:
        classes = resource_classes()
        for cid, (e, at) in evidence.items():
            if classes[cid].kind != kind:
                evidence[cid] = (e * _OTHER_KIND_FACTOR, at)
    return evidence


_Ranked = list[tuple[str, float, frozenset[int]]]


def _ranked(evidence: dict[str, tuple[float, frozenset[int]]]) -> _Ranked:
    ranked = sorted(evidence.items(), key=lambda item: (-item[1][0], item[0]))
    return [(cid, e, at) for cid, (e, at) in ranked]


def _discounted(ranked: _Ranked, head: int) -> list[tuple[str, float]]:
    """Each class's evidence minus half its best rival's: ambiguity is said, not hidden.

    Two classes read from different words of a head that lists several things ("steam,
    water and nitrogen") are not rivals: the label names each of them without doubt. A
    class read from the rest (a use, an origin, a detail) stays a rival.
    """
    out = []
    for i, (cid, e, at) in enumerate(ranked):
        rival = max((r for j, (_, r, other) in enumerate(ranked)
                     if j != i and (other & at or max(other | at) >= head)), default=0.0)
        out.append((cid, round(max(0.0, float(e) - 0.5 * float(rival)), 3)))
    return out


@lru_cache(maxsize=200_000)
def classify(label: str = "", ewc: str = "", kind: str = "") -> Classification:
    """The class of one resource; see the module docstring for how code and text combine."""
    ranked = _ranked(_evidence_at(label, kind.strip().lower()))
    code_class = ewc_class(ewc) if ewc else UNCLASSIFIED
    discounted = _discounted(ranked[: _ALTERNATIVES + 1], listed_head(label))
    alternatives = tuple(a for a in discounted if a[1] > 0)[:_ALTERNATIVES]
    if not ranked:
        if code_class == UNCLASSIFIED:
            return Classification(UNCLASSIFIED, 0.0, "none")
        return Classification(code_class, EWC_CONFIDENCE, "ewc")
    text_class, text_conf = discounted[0]
    if code_class == UNCLASSIFIED:
        return Classification(text_class, text_conf, "text", alternatives[1:])
    evidence = {cid: e for cid, e, _ in ranked}
    if code_class in evidence and (text_class == code_class or text_conf < _TEXT_WINS_AT):
        conf = 1.0 - (1.0 - EWC_CONFIDENCE) * (1.0 - float(evidence[code_class]))
        others = tuple(a for a in alternatives if a[0] != code_class)
        return Classification(code_class, round(conf, 3), "ewc+text", others)
    classes = resource_classes()
    same_family = classes[text_class].family == classes[code_class].family
    if text_conf >= _TEXT_WINS_AT and (code_class in _GENERIC or same_family):
        others = ((code_class, round(EWC_CONFIDENCE * 0.8, 3)), *alternatives[1:])
        return Classification(text_class, text_conf, "ewc+text", others[:_ALTERNATIVES])
    return Classification(code_class, round(EWC_CONFIDENCE * 0.85, 3), "ewc", alternatives)
