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
The `kind` column, when given, halves the evidence of classes of another kind (but for
the kinds a class's family is also filed under: fuels as materials). The actor's
activity, when given as the classes its trade typically handles (`typical`), raises the
evidence of those classes among the ones the label names: it decides between readings, it
never invents one, and `by_activity` says when it changed the answer. A need's end use
("organic wastes *as gasifier feed*") names the function it fills: read as fully as the
material before it, and no rival of it, so that either reading meets an offer.
Nothing raises on bad text: a nonsense label is "unclassified" with confidence 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from symbiose.core.classes.ewc import ewc_class
from symbiose.core.classes.vocabulary import KINDS, UNCLASSIFIED, resource_classes
from symbiose.core.classify.text import end_use_start, listed_head
from symbiose.core.classify.textindex import TextIndex

EWC_CONFIDENCE = 0.8
_GENERIC = frozenset(
    {"mixed_waste", "chemicals_other", "mineral_residue", "raw_materials_other",
     "equipment_other", "plastic_packaging"}
)
_OTHER_KIND_FACTOR = 0.5
_TEXT_WINS_AT = 0.55
_ALTERNATIVES = 3
# Share of the remaining doubt that the activity removes from a class its trade handles:
# enough for a weaker reading of the trade to pass a stronger one of another (0.4 -> 0.61).
_ACTIVITY_BOOST = 0.35
# The most a label's reading is trusted when the code names another family: below the
# 0.5 under which an explanation says the classification is uncertain.
_CONTRADICTED = 0.45


@dataclass(frozen=True, slots=True)
class Classification:
    """`alternatives` are the next likely classes with their confidence, best first."""

    class_id: str
    confidence: float
    method: str  # "ewc+text", "ewc", "text", "none"
    alternatives: tuple[tuple[str, float], ...] = ()
    by_activity: bool = False  # the actor's activity decided between readings

    @property
    def classified(self) -> bool:
        return self.class_id != UNCLASSIFIED


@cache
def _index() -> TextIndex:
    return TextIndex(resource_classes())


def knows_word(token: str) -> bool:
    """Whether the vocabulary reads the folded token `token` as a word of some class."""
    return _index().knows(token)


def text_evidence(label: str, kind: str = "", *, need: bool = False) -> dict[str, float]:
    """Class id -> evidence from the label alone, the kind column applied."""
    return {cid: e for cid, (e, _) in _evidence_at(label, kind, need).items()}


@lru_cache(maxsize=200_000)
def _evidence_at(label: str, kind: str,
                 need: bool = False) -> Mapping[str, tuple[float, frozenset[int]]]:
    """Cached: one label is read with several activities. Read-only for callers."""
    evidence = dict(_index().evidence_at(label, end_use_start(label) if need else 0,
                                         kind if kind in KINDS else ""))
    if kind in KINDS:
        classes = resource_classes()
        for cid, (e, at) in evidence.items():
            if kind != classes[cid].kind and kind not in classes[cid].also_kinds:
                evidence[cid] = (e * _OTHER_KIND_FACTOR, at)
    return evidence


_Ranked = list[tuple[str, float, frozenset[int]]]


def _ranked(evidence: Mapping[str, tuple[float, frozenset[int]]]) -> _Ranked:
    ranked = sorted(evidence.items(), key=lambda item: (-item[1][0], item[0]))
    return [(cid, e, at) for cid, (e, at) in ranked]


def _discounted(ranked: _Ranked, head: int, use: int = 0) -> list[tuple[str, float]]:
    """Each class's evidence minus half its best rival's: ambiguity is said, not hidden.

    Two classes read from different words of a head that lists several things ("steam,
    water and nitrogen") are not rivals: the label names each of them without doubt. Nor
    are, in a need, a material of the head and the end use that follows it ("organic
    waste *as gasifier feed*"): the receiver takes either. A class read from the rest (an
    origin, a detail) stays a rival.
    """
    def rivals(at: frozenset[int], other: frozenset[int]) -> bool:
        if other & at:
            return True
        if use and (max(at) < use <= min(other) or max(other) < use <= min(at)):
            return False
        return max(other | at) >= head

    out = []
    for i, (cid, e, at) in enumerate(ranked):
        rival = max((r for j, (_, r, other) in enumerate(ranked)
                     if j != i and rivals(at, other)), default=0.0)
        out.append((cid, round(max(0.0, float(e) - 0.5 * float(rival)), 3)))
    return out


def _with_activity(evidence: Mapping[str, tuple[float, frozenset[int]]],
                   typical: frozenset[str]) -> dict[str, tuple[float, frozenset[int]]]:
    return {cid: ((e + (1.0 - e) * _ACTIVITY_BOOST) if cid in typical else e, at)
            for cid, (e, at) in evidence.items()}


@lru_cache(maxsize=200_000)
def classify(label: str = "", ewc: str = "", kind: str = "",
             typical: frozenset[str] = frozenset(), need: bool = False) -> Classification:
    """The class of one resource; see the module docstring for how code, text and
    activity combine. `typical`: the classes the actor's activity typically has in the
    resource's direction (`symbiose.core.knowledge.activity_classes`). `need`: the
    resource is a need, whose end use ("as gasifier feed") is read as fully as its head."""
    need = need and end_use_start(label) > 0  # else read as any label: one cache entry
    if typical:
        # Only the typical classes the label names can change its reading: the activity
        # is reduced to those, so that the many trades agreeing on them share one reading
        # (a region's 1,000 labels read with 900 activities make 70,000 pairs, and a few
        # thousand readings).
        typical = typical.intersection(_evidence_at(label, kind.strip().lower(), need))
    found = _classify(label, ewc, kind, typical, need)
    if not typical:
        return found
    plain = _classify(label, ewc, kind, frozenset(), need)
    if plain.class_id == found.class_id:
        return found
    return Classification(found.class_id, found.confidence, found.method,
                          found.alternatives, by_activity=True)


@lru_cache(maxsize=200_000)
def _classify(label: str, ewc: str, kind: str, typical: frozenset[str],
              need: bool = False) -> Classification:
    evidence = _evidence_at(label, kind.strip().lower(), need)
    ranked = _ranked(_with_activity(evidence, typical) if typical else evidence)
    code_class = ewc_class(ewc) if ewc else UNCLASSIFIED
    discounted = _discounted(ranked[: _ALTERNATIVES + 1], listed_head(label),
                             end_use_start(label) if need else 0)
    alternatives = tuple(a for a in discounted if a[1] > 0)[:_ALTERNATIVES]
    if not ranked:
        if code_class == UNCLASSIFIED:
            return Classification(UNCLASSIFIED, 0.0, "none")
        return Classification(code_class, EWC_CONFIDENCE, "ewc")
    text_class, text_conf = discounted[0]
    if code_class == UNCLASSIFIED:
        return Classification(text_class, text_conf, "text", alternatives[1:])
    read = {cid: e for cid, e, _ in ranked}
    # The label agrees with the code when it reads the code's class first, when it reads
    # nothing sure, or when it names the code's class among others without doubt
    # ("mâchefers et cendres" under the bottom-ash code).
    named = dict(discounted).get(code_class, 0.0) >= _TEXT_WINS_AT
    if code_class in read and (text_class == code_class or text_conf < _TEXT_WINS_AT
                               or named):
        conf = 1.0 - (1.0 - EWC_CONFIDENCE) * (1.0 - float(read[code_class]))
        others = tuple(a for a in alternatives if a[0] != code_class)
        return Classification(code_class, round(conf, 3), "ewc+text", others)
    classes = resource_classes()
    same_family = classes[text_class].family == classes[code_class].family
    if text_conf >= _TEXT_WINS_AT and (code_class in _GENERIC or same_family):
        others = ((code_class, round(EWC_CONFIDENCE * 0.8, 3)), *alternatives[1:])
        return Classification(text_class, text_conf, "ewc+text", others[:_ALTERNATIVES])
    # The code wins, but a label that clearly says something else makes it doubtful: the
    # more the label contradicts the code, the less sure the class (and the sentence says so).
    # The label's readings stay alternatives, doubtful too: the code says otherwise.
    doubt = max(0.15, text_conf)
    return Classification(code_class, round(EWC_CONFIDENCE * (1.0 - doubt), 3), "ewc",
                          tuple((cid, min(conf, _CONTRADICTED)) for cid, conf in alternatives))
