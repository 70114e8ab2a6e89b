"""One sentence per proposal, that a facilitator can read aloud.

Each sentence is a format string marked with gettext_noop plus its parameters, so the web
layer translates it at display time; `render` gives the English or French text for the
command line and the synergies.csv file. Caveats (uncertain classification, unknown
location) are part of the sentence: low confidence is said, not hidden.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from symbiose.core.i18n import gettext_noop

SUBSTITUTION = gettext_noop(
    "%(supplier)s offers %(offer)s, which could meet %(receiver)s's need for %(need)s "
    "(%(process)s)%(where)s%(amount)s%(caveats)s."
)
SHARING = gettext_noop(
    "%(supplier)s could lend or rent %(offer)s to %(receiver)s, who needs %(need)s"
    "%(where)s%(caveats)s."
)
POOLING = gettext_noop(
    "%(count)s actors%(where)s share the same %(what)s (%(class_label)s): %(members)s could "
    "pool it%(caveats)s."
)
WHERE_KM = gettext_noop(", %(km)s km apart")
WHERE_GROUP = gettext_noop(" within %(km)s km")
AMOUNT = gettext_noop("; about %(quantity)s %(unit)s a year")
NO_LOCATION = gettext_noop("; location unknown, matched on class alone")
UNCERTAIN = gettext_noop("; classification uncertain (%(percent)s%%)")
NEED_BY_ACTIVITY = gettext_noop("; the need was read in the light of the receiver's activity")
OFFER_BY_ACTIVITY = gettext_noop("; the offer was read in the light of the supplier's activity")
WHAT_NEED = gettext_noop("need")
WHAT_OUTPUT = gettext_noop("output")
WHAT_BOTH = gettext_noop("need or output")

_FRENCH = {
    SUBSTITUTION: "%(supplier)s propose %(offer)s, qui pourrait répondre au besoin de "
                  "%(receiver)s : %(need)s (%(process)s)%(where)s%(amount)s%(caveats)s.",
    SHARING: "%(supplier)s pourrait prêter ou louer %(offer)s à %(receiver)s, qui a besoin de "
             "%(need)s%(where)s%(caveats)s.",
    POOLING: "%(count)s acteurs%(where)s ont le même %(what)s (%(class_label)s) : %(members)s "
             "pourraient le mutualiser%(caveats)s.",
    WHERE_KM: ", à %(km)s km l'un de l'autre",
    WHERE_GROUP: " dans un rayon de %(km)s km",
    AMOUNT: " ; environ %(quantity)s %(unit)s par an",
    NO_LOCATION: " ; localisation inconnue, rapprochement sur la seule classe",
    UNCERTAIN: " ; classification incertaine (%(percent)s %%)",
    NEED_BY_ACTIVITY: " ; besoin interprété d'après l'activité du receveur",
    OFFER_BY_ACTIVITY: " ; gisement interprété d'après l'activité du fournisseur",
    WHAT_NEED: "besoin",
    WHAT_OUTPUT: "gisement",
    WHAT_BOTH: "besoin ou gisement",
}


# How a unit is read in a sentence: the stored spellings "unit", "person" and "m3" are
# codes, not words ("environ 3 200 unit par an").
_UNIT_WORDS = {
    "unit": ("units", "unités"),
    "person": ("people", "personnes"),
    "job": ("jobs", "emplois"),
    "place": ("places", "places"),
    "day": ("days", "jours"),
    "week": ("weeks", "semaines"),
    "month": ("months", "mois"),
    "h": ("hours", "heures"),
    "m3": ("m³", "m³"),
    "m2": ("m²", "m²"),
    "km2": ("km²", "km²"),
}

# French drops the e of "de" before a vowel or a mute h: "le besoin d’EARL du Val",
# never "de EARL". Names are rarely an aspirated h, and a wrong elision reads better
# than a missing one.
# One pattern per case, so that the replacement is a plain string (a template with a
# group is expanded in Python for every match), and the capital one run only on the
# texts that hold a capital "De ": scanning a text is most of the cost, on a region's
# 140,000 explanations.
_BEFORE_VOWEL = "(?=[AEIOUYÀÂÉÈÊËÎÏÔÛÜHaeiouyàâéèêëîïôûüh])"
# The word boundary is looked behind once "de " is found, not before: a pattern that
# starts with its literal text is searched for as a string, five times faster.
_ELISION_LOWER = re.compile(r"de (?<=\bde )" + _BEFORE_VOWEL)
_ELISION_UPPER = re.compile(r"De (?<=\bDe )" + _BEFORE_VOWEL)


def unit_word(unit: str, language: str) -> str:
    """A stored unit as a sentence says it ("unit" -> "units", "unités")."""
    words = _UNIT_WORDS.get(unit)
    if words is None:
        return unit
    return words[1] if language == "fr" else words[0]


def translate(template: str, language: str) -> str:
    """The French wording of a template, or the template itself (English)."""
    return _FRENCH.get(template, template) if language == "fr" else template


def render(template: str, params: Mapping[str, str], language: str = "en") -> str:
    """Fill a template; nested templates (where, caveats) are already rendered in params."""
    text = translate(template, language) % dict(params)
    return _elided(text) if language == "fr" else text


def render_columns(templates: Sequence[str], params: Mapping[str, Sequence[str]],
                   language: str = "en") -> list[str]:
    """`render` of each row: `templates[i]` filled with `params[name][i]`. Each template
    is made positional once, then filled from the columns' tuples; in French the elisions
    are made in one pass over the texts joined by a character none holds (a pattern never
    crosses it, and it is a word boundary as a text's start and end are), then split."""
    texts = [""] * len(templates)
    for template in dict.fromkeys(templates):
        wording = translate(template, language)
        columns = [params[name] for name in _PARAMETER.findall(wording)]
        positional = _PARAMETER.sub("%s", wording)
        rows = [i for i, t in enumerate(templates) if t == template]
        if len(rows) < len(templates):
            columns = [[column[i] for i in rows] for column in columns]
        for i, values in zip(rows, zip(*columns, strict=True), strict=True):
            texts[i] = positional % values
    if language != "fr" or not texts:
        return texts
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:  # some text holds it: one by one
        return [_elided(text) for text in texts]
    return _elided(joined).split(_SEPARATOR)


def _elided(text: str) -> str:
    text = _ELISION_LOWER.sub("d’", text)
    return _ELISION_UPPER.sub("D’", text) if "De " in text else text


_PARAMETER = re.compile(r"%\((\w+)\)s")
_SEPARATOR = "\x00"


@lru_cache(maxsize=200_000)
def short(label: str, language: str = "en", limit: int = 70) -> str:
    """A label short enough to read aloud, first letter lower-cased unless an acronym."""
    text = " ".join(label.split())
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0]
        # A parenthesis opened and cut off is dropped with what it began; a cut never
        # ends on a comma or an opening bracket: "(chêne, pin,…" read as a typo.
        if text.count("(") > text.count(")"):
            text = text[: text.rfind("(")]
        text = text.rstrip(" ,;:(–-") + "…"
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return f"« {text} »" if language == "fr" else f"“{text}”"


def caveats(confidence: float, located: bool, language: str, by_activity: str = "") -> str:
    """What the reader should know: no location, an uncertain class, and which side's
    reading the actor's activity decided ("need", "offer" or "")."""
    parts = []
    if not located:
        parts.append(translate(NO_LOCATION, language))
    if confidence < 0.5:
        parts.append(translate(UNCERTAIN, language) % {"percent": f"{confidence * 100:.0f}"})
    if by_activity:
        parts.append(translate(NEED_BY_ACTIVITY if by_activity == "need" else OFFER_BY_ACTIVITY,
                               language))
    return "".join(parts)


def where(km: float, template: str, language: str) -> str:
    text = _km(km, language)
    return translate(template, language) % {"km": text} if text else ""


def where_all(kms: Sequence[float], template: str, language: str) -> list[str]:
    """`where` of each distance, the template filled by concatenation."""
    before, after = translate(template, language).split("%(km)s")
    return [before + text + after if text else ""
            for text in (_km(km, language) for km in kms)]


def _km(km: float, language: str) -> str:
    """A distance as a sentence says it, "" when unknown (NaN)."""
    if km != km:
        return ""
    text = f"{km:.1f}" if km < 10 else f"{km:.0f}"
    return text.replace(".", ",") if language == "fr" else text


def amount(quantity: float | None, unit: str, language: str) -> str:
    """ "; about 650 MWh a year", or nothing when the quantity is unknown."""
    if quantity is None or quantity != quantity or not unit:
        return ""
    text = f"{quantity:,.0f}" if quantity >= 10 else f"{quantity:.3g}"
    if language == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return translate(AMOUNT, language) % {"quantity": text, "unit": unit_word(unit, language)}
