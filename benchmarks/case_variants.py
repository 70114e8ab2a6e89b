"""Robustness variants of the evaluation cases, written by the project (not data of the cases).

Each variant is a function (case name, resources) -> resources:
- no_codes: every EWC code removed;
- typos: in every label, one word in two of six letters or more gets two letters swapped,
  and accents are dropped from one label in two (deterministic);
- english: the labels of the resources behind the known synergies rephrased in English
  (written by hand in data/case_labels_en.csv), the others unchanged;
- synonyms: French words replaced by synonyms or abbreviations a facilitator also uses
  (broyat -> BRF, chaleur fatale -> calories perdues, EPI, DEEE, SST, biodéchets ->
  déchets de cuisine...), written here by hand;
- combined: english + no_codes + typos.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from symbiose.core.bundle import ResourceRecord

Variant = Callable[[str, list[ResourceRecord]], list[ResourceRecord]]

ENGLISH_FILE = Path(__file__).resolve().parent / "data" / "case_labels_en.csv"


def _english_labels() -> dict[str, str]:
    with ENGLISH_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["label_fr"]: row["label_en"] for row in csv.DictReader(handle)}



def no_codes(case: str, resources: list[ResourceRecord]) -> list[ResourceRecord]:
    return [replace(r, ewc="") for r in resources]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typos(case: str, resources: list[ResourceRecord]) -> list[ResourceRecord]:
    rng = random.Random(f"typos-{case}")
    out = []
    for n, r in enumerate(resources):
        words = r.label.split(" ")
        long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
        for i in long_words[::2]:
            w = words[i]
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        label = " ".join(words)
        out.append(replace(r, label=_strip_accents(label) if n % 2 else label))
    return out


def english(case: str, resources: list[ResourceRecord]) -> list[ResourceRecord]:
    labels = _english_labels()
    return [replace(r, label=labels.get(r.label, r.label)) for r in resources]


SYNONYMS = [
    ("Broyat de déchets verts", "BRF"), ("Broyat", "BRF"), ("broyat", "BRF"),
    ("Chaleur fatale", "Calories perdues"), ("Chaleur de récupération", "Calories perdues"),
    ("Équipements de protection individuelle", "EPI"), ("Gants anti-chaleur", "EPI"),
    ("Écrans, PC et terminaux radio (scanners) hors d'usage", "DEEE (écrans, PC, scanners)"),
    ("Ordinateurs et écrans de bureau réformés", "DEEE de bureau"),
    ("Formation sauveteur secouriste du travail (SST)", "Formation SST"),
    ("Biodéchets", "Déchets de cuisine"), ("Déchets alimentaires", "Biodéchets"),
    ("Palettes bois", "Palettes EPAL"), ("Liens de cerclage", "Feuillards"),
    ("Covoiturage", "Transport partagé des salariés"), ("Nacelle articulée", "PEMP"),
    ("Chariot télescopique", "Manitou"), ("Déchets verts", "Végétaux"),
    ("Glycérine brute", "Glycérol brut"), ("Invendus de pain", "Pain invendu"),
]


def synonyms(case: str, resources: list[ResourceRecord]) -> list[ResourceRecord]:
    out = []
    for r in resources:
        label = r.label
        for old, new in SYNONYMS:
            if old in label:
                label = label.replace(old, new)
                break
        out.append(replace(r, label=label))
    return out


def combined(case: str, resources: list[ResourceRecord]) -> list[ResourceRecord]:
    return typos(case, no_codes(case, english(case, resources)))


VARIANTS: dict[str, Variant] = {
    "no_codes": no_codes, "typos": typos, "english": english, "synonyms": synonyms,
    "combined": combined,
}
