"""The closed vocabularies of a bundle and the French and English words accepted for each.

The stored values are those of `records.py`; the spellings below are what facilitators
actually type in their spreadsheets. Keys are compared folded (case, accents, spaces and
punctuation ignored), see `values.fold`.
"""

from __future__ import annotations

from collections.abc import Mapping

from symbiose.core.bundle.records import (
    ACTOR_KINDS,
    CONFIDENTIALITIES,
    DIRECTIONS,
    ENGAGEMENTS,
    PERIODS,
    RESOURCE_KINDS,
    SYNERGY_TYPES,
)
from symbiose.core.bundle.values import fold


def _vocabulary(stored: tuple[str, ...], words: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Folded spelling -> stored value; every stored value is also its own spelling."""
    table = {fold(value): value for value in stored}
    for value, spellings in words.items():
        assert value in stored, value
        table.update((fold(spelling), value) for spelling in spellings)
    return table


DIRECTION_WORDS = _vocabulary(DIRECTIONS, {
    "out": ("sortant", "sortante", "sortie", "sorties", "offre", "output", "offer", "produit",
            "gisement"),
    "in": ("entrant", "entrante", "entrée", "entrées", "besoin", "input", "need", "demande"),
})

ACTOR_KIND_WORDS = _vocabulary(ACTOR_KINDS, {
    "company": ("entreprise", "société", "industriel", "business", "firm"),
    "farm": ("exploitation agricole", "exploitation", "agriculteur", "ferme", "agricole",
             "agriculture"),
    "public": ("collectivité", "collectivité territoriale", "public body", "administration",
               "organisme public", "établissement public"),
    "health": ("santé", "établissement de santé", "hôpital", "ehpad", "médico-social"),
    "association": ("asso",),
    "insertion": ("structure d'insertion", "siae", "structure d'insertion par l'activité "
                  "économique"),
    "other": ("autre", "autres", "divers"),
})

RESOURCE_KIND_WORDS = _vocabulary(RESOURCE_KINDS, {
    "material": ("matière", "matières", "matériau", "matériaux", "materials", "déchet",
                 "déchets", "waste", "coproduit", "co-produit", "by-product"),
    "energy": ("énergie", "chaleur", "heat"),
    "water": ("eau", "eaux"),
    "equipment": ("équipement", "équipements", "matériel"),
    "service": ("services", "prestation"),
    "skill": ("compétence", "compétences", "skills", "savoir-faire"),
    "logistics": ("logistique", "transport"),
    "space": ("espace", "espaces", "foncier", "terrain", "locaux", "land"),
})

PERIOD_WORDS = _vocabulary(PERIODS, {
    "year": ("an", "année", "annuel", "annuelle", "par an", "yearly", "annual", "per year",
             "/an"),
    "month": ("mois", "mensuel", "mensuelle", "par mois", "monthly", "per month"),
    "week": ("semaine", "hebdomadaire", "hebdo", "par semaine", "weekly", "per week"),
    "day": ("jour", "journalier", "journalière", "quotidien", "quotidienne", "par jour",
            "daily", "per day"),
})

CONFIDENTIALITY_WORDS = _vocabulary(CONFIDENTIALITIES, {
    "private": ("privé", "privée", "confidentiel", "confidentielle"),
    "anonymous": ("anonyme", "anonymisé", "anonymisée", "anonymised", "anonymized"),
    "public": ("publique",),
})

ENGAGEMENT_WORDS = _vocabulary(ENGAGEMENTS, {
    "contacted": ("contacté", "contactée", "contact"),
    "engaged": ("engagé", "engagée", "impliqué", "impliquée"),
    "core_group": ("noyau dur", "core group", "groupe moteur"),
    "ambassador": ("ambassadeur", "ambassadrice"),
})

SYNERGY_TYPE_WORDS = _vocabulary(SYNERGY_TYPES, {
    "pooling": ("mutualisation",),
    "sharing": ("partage",),
})
