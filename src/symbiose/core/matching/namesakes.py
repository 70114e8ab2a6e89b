"""Namesakes: an offer and a need whose heads name the same thing the vocabulary does not
know ("Ethylene from the cracker" and "Ethylene for the polyethylene reactors", "VCM sent
by pipeline" and "VCM monomer for the PVC reactors").

The classes and their rules find what the knowledge base knows. A product it has no word
for is read from whatever else its label says ("delivered by pipeline" as freight), and
the offer and the need that name it never meet. On the blind development rounds, about
half of the missed synergies named the same substance on both sides. Such a pair meets
here, through one rule of its own (`NAMESAKE_RULE`) that says why: both name the same
product, to be checked against the need's specification.

A word counts when it is in the head of both labels (what the resource is, not what it
is for), has three letters or more, is not a number nor a qualifier ("batch", "surplus"),
and is no word of the vocabulary's (`knows_word`): a known word already leads to the
classes that name it. The offers and needs of each word are then blocked as a rule's
classes are (`pairs.generate`): nearest offers within the radius, actors without
coordinates matched on the word alone. Nothing here depends on how many labels hold a
word, so a tile of a region finds the same pairs for its needs as the whole region does.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from symbiose.core.classify.classifier import knows_word
from symbiose.core.classify.text import before_replaced, head_length, tokens
from symbiose.core.knowledge.base import KnowledgeBase, SubstitutionRule, knowledge_base
from symbiose.core.matching.tables import ResourceTable

# Below a rule the knowledge base states: the word says the two name one thing, not that
# one's grade meets the other's need.
NAMESAKE_FIT = 0.8
# In place of the classifications' confidence, which read other words of the labels.
NAMESAKE_CONFIDENCE = 0.5
MIN_LETTERS = 3
# Words that say how, when or where a line comes (a batch, a surplus, in solution, now
# and then, on the site next door) rather than what it is, and that the vocabulary
# happens not to hold: two labels sharing only one of them name different things
# ("nickel sulphate solution" and "caustic solution"; "Broyeur ponctuellement" and
# "Chariot ponctuellement"). Folded and singular, as `tokens` gives them.
QUALIFIERS = frozenset({
    # how it comes
    "solution", "excedent", "excedentaire", "surplu", "lot", "batch", "offspec", "blend",
    "unsold", "invendu", "grade", "qualite", "stock", "reste", "new", "neuf", "neuve", "old",
    "ancien", "ancienne", "clean", "dirty", "virgin", "vierge", "all", "diver", "diverse",
    "variou", "autre", "major", "principal", "principale", "entire", "containing",
    "contenant", "partial", "partiel", "partielle",
    # when
    "disponible", "available", "ponctuel", "ponctuelle", "occasionnel", "occasionnelle",
    "temporaire", "temporary", "saisonnier", "saisonniere", "seasonal", "annual", "annuel",
    "annuelle", "mensuel", "mensuelle", "hebdomadaire", "quotidien", "quotidienne",
    "regulier", "reguliere",
    # where, and whose
    "location", "batiment", "building", "decheterie", "atelier", "workshop", "hall", "parc",
    "park", "zone", "site", "territoire", "territory", "regional", "regionale", "local",
    "locale", "voisin", "voisine", "neighbouring", "neighboring", "nearby", "company",
    "companie", "entreprise", "customer", "client", "fournisseur", "supplier", "usine",
    "plant", "factory", "unit", "unite", "cracker", "vapocraqueur", "envoye",
})
# Adverbs and past participles say how a product is handled, never which: English "-ly"
# and "-ed" (not "-eed": "rapeseed"), French adverbs in "-ment" after a vowel-ending
# adjective ("ponctuellement", "regulierement", "periodiquement").
_HANDLING = re.compile(r"(?:[a-z]{3,}ly|[a-z]{2,}[^e]ed"
                       r"|[a-z]{3,}(?:elle|ique|iere|aire|ive|able)ment|[a-z]{2,}[ae]mment)$")
# The product a label names comes first ("Ethylene oxide delivered by pipeline",
# "Chemical-grade propylene as feedstock"); what follows in the head qualifies it.
HEAD_WORDS = 3

NAMESAKE_RULE = SubstitutionRule(
    # A catch-all class on both sides: no impact factor, no sharing, no usual taker.
    out_class="raw_materials_other", in_class="raw_materials_other", fit=NAMESAKE_FIT,
    max_km=50.0,
    process_en="both name the same product, to be checked against the need's specification",
    process_fr="les deux nomment le même produit, à vérifier au regard des spécifications "
               "du besoin",
    source="chertow2000", value_eur=None, per="t", nace=(),
)


def matching_knowledge(knowledge: KnowledgeBase | None = None) -> KnowledgeBase:
    """What a match reads: `knowledge` (default: the packaged base) with the namesake rule."""
    return with_namesakes(knowledge_base() if knowledge is None else knowledge)


def with_namesakes(kb: KnowledgeBase) -> KnowledgeBase:
    """`kb` with `NAMESAKE_RULE` as its last rule (once)."""
    if namesake_rule_index(kb) is not None:
        return kb
    return KnowledgeBase((*kb.rules, NAMESAKE_RULE), kb.sources)


def namesake_rule_index(kb: KnowledgeBase) -> int | None:
    return next((i for i, rule in enumerate(kb.rules) if rule is NAMESAKE_RULE), None)


@lru_cache(maxsize=200_000)
def unknown_head_words(label: str) -> frozenset[str]:
    """The words of the label's head that no class phrase holds."""
    text = before_replaced(label)
    head = tokens(text)[: min(head_length(text), HEAD_WORDS)]
    return frozenset(word for word in head
                     if len(word) >= MIN_LETTERS and not word.isdigit()
                     and word not in QUALIFIERS and not _HANDLING.match(word)
                     and not knows_word(word))


def namesake_groups(table: ResourceTable) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    """Per word both sides name (in word order): the offer rows and the need rows whose
    heads hold it, each in table order (the rows' order settles ties of distance)."""
    offers: dict[str, list[NDArray[np.intp]]] = {}
    needs: dict[str, list[NDArray[np.intp]]] = {}
    # Once per distinct label (a region repeats a few thousand labels over its rows).
    codes, labels = pd.factorize(np.asarray(table.labels, dtype=object))
    words = [unknown_head_words(label) for label in labels.tolist()]
    named = np.flatnonzero([bool(w) for w in words])
    if named.size == 0:
        return []
    holding = np.flatnonzero(np.isin(codes, named))
    holding = holding[np.argsort(codes[holding], kind="stable")]
    starts = np.searchsorted(codes[holding], named)
    ends = np.searchsorted(codes[holding], named, side="right")
    for code, start, end in zip(named.tolist(), starts.tolist(), ends.tolist(), strict=True):
        of_label = holding[start:end]
        out = table.is_out[of_label]
        for word in words[code]:
            offers.setdefault(word, []).append(of_label[out])
            needs.setdefault(word, []).append(of_label[~out])
    groups = [(np.sort(np.concatenate(offers[word])), np.sort(np.concatenate(needs[word])))
              for word in sorted(offers)]
    return [(o, n) for o, n in groups if o.size and n.size]
