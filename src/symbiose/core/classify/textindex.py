"""Free-text evidence for each resource class, from the vocabulary's labels and synonyms.

Two well-kept libraries do the fuzzy work:
- rapidfuzz compares the label's tokens with every vocabulary token at once
  (`process.cdist`), which absorbs typos and irregular plurals; a class phrase is found when
  its tokens are all present (most of them, for phrases of three tokens or more), in any
  order. Rare tokens (by IDF over classes) weigh more than words every class uses. A
  token that is itself a French or English word (`words.real_words`) is no typo: it
  matches only a vocabulary word it inflects.
- scikit-learn's character n-gram TF-IDF is the fallback when no phrase is found (glued
  words, heavy misspellings): the nearest phrase by cosine, with a lower evidence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from symbiose.core.classes.vocabulary import ResourceClass
from symbiose.core.classify.text import before_replaced, fold, head_length, tokens
from symbiose.core.classify.words import is_variant, real_words

# Similarity (0-100) a token needs to count as the vocabulary token it resembles.
_EXACT_UP_TO = 3  # "pp", "pet", "epi", "sst": abbreviations must be exact
_SHORT_UP_TO = 5
_SHORT_CUTOFF = 88
_MEDIUM_UP_TO = 7
_MEDIUM_CUTOFF = 83  # one swapped pair of letters in six: "cartno" for "carton"
_LONG_CUTOFF = 85  # "declasse" must not read as "melasse"
_SPECIFICITY_SCALE = 3.0  # sum of IDF at which a phrase is ~63% conclusive
_POSITION_DECAY = 0.05  # French puts the head noun first: earlier words weigh a bit more
_TOKEN_CACHE = 200_000
_FALLBACK_MIN_COSINE = 0.45
# A class named after the label's head ("steam for the units *instead of fuel-oil fired
# boilers*") is a detail of the resource, not the resource.
_TAIL_FACTOR = 0.5
_FALLBACK_WEIGHT = 0.6
_SIBILANT_ENDS = frozenset("shxz")  # "gas"+"es", "ash"+"es", "box"+"es", "quartz"+"es"


@dataclass(frozen=True, slots=True)
class _Phrase:
    class_id: str
    token_ids: tuple[int, ...]
    weights: tuple[float, ...]


class TextIndex:
    """Built once per vocabulary; `evidence(label)` is then a pure function of the label."""

    def __init__(self, classes: Mapping[str, ResourceClass]) -> None:
        vocab: dict[str, int] = {}
        raw: list[tuple[str, list[int]]] = []
        seen: set[tuple[str, tuple[int, ...]]] = set()
        for resource_class in classes.values():
            for phrase in resource_class.phrases:
                ids = [vocab.setdefault(tok, len(vocab)) for tok in dict.fromkeys(tokens(phrase))]
                key = (resource_class.id, tuple(ids))
                if ids and key not in seen:
                    seen.add(key)
                    raw.append((resource_class.id, ids))
        classes_of: list[set[str]] = [set() for _ in vocab]
        for class_id, ids in raw:
            for i in ids:
                classes_of[i].add(class_id)
        n = len(classes)
        self._idf = [math.log(n / len(c)) + 1.0 for c in classes_of]
        self._vocab = list(vocab)
        self._position = vocab
        self._generic = frozenset(cid for cid, c in classes.items() if c.generic)
        self._kind = {cid: c.kind for cid, c in classes.items()}
        self._phrases = [
            _Phrase(cid, tuple(ids), tuple(self._idf[i] for i in ids)) for cid, ids in raw
        ]
        self._by_token: list[list[int]] = [[] for _ in vocab]
        for p, entry in enumerate(self._phrases):
            for i in entry.token_ids:
                self._by_token[i].append(p)
        self._lengths = np.array([len(t) for t in self._vocab])
        self._token_cache: dict[str, tuple[tuple[int, float], ...]] = {}

    @cached_property
    def _fallback_model(self) -> tuple[Any, Any]:
        """The n-gram TF-IDF and the phrases' vectors, fitted on the first label that needs
        them: importing scikit-learn takes a second and a half, which a region whose
        labels all read as phrases (`symbiose match` on 500,000 lines) need not pay."""
        from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
            TfidfVectorizer,
        )

        tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        folded = [" ".join(self._vocab[i] for i in ph.token_ids) for ph in self._phrases]
        return tfidf, tfidf.fit_transform(folded)

    def evidence(self, label: str) -> dict[str, float]:
        """Class id -> evidence in [0, 1] that the label names that class (absent: none)."""
        return {cid: e for cid, (e, _) in self.evidence_at(label).items()}

    def evidence_at(self, label: str, use: int = 0,
                    kind: str = "") -> dict[str, tuple[float, frozenset[int]]]:
        """As `evidence`, with the positions of the label's tokens each class was read from:
        classes read from different words ("steam, water and nitrogen") are not rivals.

        `use`: where a need's end use starts (`text.end_use_start`), 0 for none. A class
        read there names the function the need fills ("as gasifier feed") and is read at
        full weight, as the head is, instead of as a detail."""
        label = before_replaced(label)
        query = tokens(label)
        if not query:
            return {}
        found = self._phrase_evidence(query, head_length(label), use, kind)
        if found:
            return found
        everywhere = frozenset(range(len(query)))
        return {cid: (e, everywhere) for cid, e in self._fallback(" ".join(query)).items()}

    def knows(self, token: str) -> bool:
        """Whether a folded token reads as a word of some class phrase (typos included)."""
        return bool(self._token_matches(token))

    def _token_matches(self, token: str) -> tuple[tuple[int, float], ...]:
        """Vocabulary tokens close enough to `token`, with their similarity in [0, 1].

        Memoised per index: labels repeat their words far more than they repeat whole.
        """
        found = self._token_cache.get(token)
        if found is not None:
            return found
        sims = process.cdist([token], self._vocab, scorer=fuzz.ratio, dtype=np.uint8,
                             workers=1)[0]
        # The shorter of the two tokens sets how exact the match must be.
        shorter = np.minimum(len(token), self._lengths)
        lenient = np.where(shorter <= _SHORT_UP_TO, _SHORT_CUTOFF,
                           np.where(shorter <= _MEDIUM_UP_TO, _MEDIUM_CUTOFF, _LONG_CUTOFF))
        cutoff = np.where(shorter <= _EXACT_UP_TO, 100, lenient)
        hits = np.flatnonzero(sims >= cutoff)
        # A word the vocabulary knows as written is not a typo of another word
        # ("dechet" is not "dreche").
        exact = hits[sims[hits] == 100]
        if exact.size:
            hits = exact
        elif hits.size and token in real_words():
            # A real word is no typo: it is read as a vocabulary word only when it is that
            # word with another ending ("baled", "collectees"), never as the word it
            # resembles ("stream" as "steam", "boule" as "boue").
            hits = np.array([v for v in hits.tolist() if is_variant(token, self._vocab[v])],
                            dtype=np.intp)
        stem = token[:-1]
        if token.endswith("e") and stem[-1:] in _SIBILANT_ENDS and stem in self._position:
            # An English "-es" plural ("gases", "ashes", "batches") folds to "gase", too far
            # from "gas" for the short-word cutoff: the word without its "e" is meant too.
            hits = np.union1d(hits, [self._position[stem]])
            sims[self._position[stem]] = 100
        found = tuple((int(v), float(sims[v]) / 100.0) for v in hits)
        if len(self._token_cache) < _TOKEN_CACHE:
            self._token_cache[token] = found
        return found

    def _phrase_evidence(self, query: list[str], head: int, use: int = 0,
                         kind: str = "") -> dict[str, tuple[float, frozenset[int]]]:
        # Best similarity of each vocabulary token to any query token, and where it is.
        sim: dict[int, float] = {}
        pos: dict[int, int] = {}
        for q, token in enumerate(query):
            for v, value in self._token_matches(token):
                if value > sim.get(v, 0.0):
                    sim[v] = value
                    pos[v] = q
        if not sim:
            return {}
        read: list[tuple[str, float, frozenset[int], bool]] = []  # class, score, where, tail
        for p in {p for v in sim for p in self._by_token[v]}:
            phrase = self._phrases[p]
            total = sum(phrase.weights)
            pairs = zip(phrase.token_ids, phrase.weights, strict=True)
            got = [(w, sim[t], pos[t]) for t, w in pairs if t in sim]
            covered = sum(w for w, _, _ in got)
            needed = 0.6 if len(phrase.token_ids) >= 3 else 0.999
            # Most of a long phrase may be found, but not without its rarest word: the
            # one that names it ("matière première *de fermentation*").
            if covered < needed * total or max(phrase.weights) > max(w for w, _, _ in got):
                continue
            quality = sum(w * s for w, s, _ in got) / total
            specificity = 1.0 - math.exp(-covered / _SPECIFICITY_SCALE)
            first = min(q for _, _, q in got)
            in_use = 0 < use <= first
            score = quality * specificity / (1.0 + _POSITION_DECAY * (first - use * in_use))
            # A phrase that reaches into the tail ("industrial ... water") is read there,
            # unless it is read wholly in a need's end use ("as gasifier feed").
            tail = max(q for _, _, q in got) >= head and not in_use
            read.append((phrase.class_id, score, frozenset(q for _, _, q in got), tail))
        # The tail is a detail only when the head names something itself: in "bio-based
        # feedstock (fats and oils)" the brackets say what the feedstock is, and in
        # "substitute raw materials for clinker" the use says more than the catch-all.
        # Nor when the head names only things of another kind than the line's: in "eaux
        # claires (calories récupérables)" given as energy, the water carries the heat.
        head_read = any(not tail and cid not in self._generic
                        and (not kind or self._kind[cid] == kind) for cid, _, _, tail in read)
        # A catch-all class is a last resort: any specific reading weighs more.
        specific = any(cid not in self._generic for cid, _, _, _ in read)
        per_class: dict[str, list[tuple[float, frozenset[int]]]] = {}
        for class_id, score, where, tail in read:
            factor = _TAIL_FACTOR if tail and head_read and head > 0 else 1.0
            if specific and class_id in self._generic:
                factor *= _TAIL_FACTOR
            per_class.setdefault(class_id, []).append((score * factor, where))
        evidence: dict[str, tuple[float, frozenset[int]]] = {}
        for class_id, scored in per_class.items():
            scored.sort(key=lambda item: -item[0])
            top, top_positions = scored[0]
            # A second phrase adds evidence only when it reads other words of the label.
            second = next((s for s, where_ in scored[1:] if not where_ <= top_positions), 0.0)
            evidence[class_id] = (1.0 - (1.0 - top) * (1.0 - 0.3 * second), top_positions)
        return evidence

    def _fallback(self, folded_query: str) -> dict[str, float]:
        tfidf, phrase_vectors = self._fallback_model
        vector = tfidf.transform([fold(folded_query)])
        cosines = (phrase_vectors @ vector.T).toarray().ravel()
        best = int(cosines.argmax())
        if cosines[best] < _FALLBACK_MIN_COSINE:
            return {}
        evidence: dict[str, float] = {}
        for p in np.argsort(-cosines)[:5]:
            if cosines[p] >= _FALLBACK_MIN_COSINE:
                cid = self._phrases[int(p)].class_id
                evidence.setdefault(cid, float(cosines[p]) * _FALLBACK_WEIGHT)
        return evidence
