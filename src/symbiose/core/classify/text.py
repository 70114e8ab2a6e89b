"""Folding free text into comparable tokens: case, accents, ligatures, plurals, stop words.

Facilitators and company staff write "Déchets verts", "dechet vert", "DÉCHETS VERTS" or
"green wastes": the classifier must see one thing. Folding is deliberately crude (no
stemmer): a trailing s or x is dropped from words of more than three letters, which covers
French and English regular plurals; irregular ones are handled by fuzzy token matching.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "’": "'"})

STOP_WORDS = frozenset(
    (
    "a", "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "en", "et", "la", "le",
    "les", "leur", "leurs", "l", "d", "un", "une", "ou", "par", "pour", "sur", "sous", "sans",
    "se", "sa", "son", "ses", "qui", "que", "quelque", "sont", "est", "non", "plus", "tres",
    "apres", "avant", "entre", "chez", "depuis", "lors", "hors", "via", "y", "c", "s", "n", "j",
    "m", "qu", "aujourd", "hui", "the", "of", "and", "or", "for", "to", "in", "on", "at", "by",
    "with", "from", "an", "as", "is", "are", "be", "this", "that", "per", "into", "its",
    "other", "others", "not", "based",
    # "Hydrogen-rich off-gas", "gaz riche en CO2": what the gas is rich in names it; the
    # word itself would let "carbon-rich off-gas" read as the hydrogen-rich one.
    "rich", "riche",
    )
)


# Where the head of a label ends: what follows names a use, an origin or a detail
# ("carburant pour les bennes de collecte", "rondes (agent + véhicule)").
_HEAD_END = re.compile(
    r"[(:;]|\s[-–—]\s|\b(?:pour|for|to|as|comme|issue?s?|from|avec|with|via|dans|in|sur|on|"
    r"chez|at|des?\s+la|du)\b"
)


@lru_cache(maxsize=500_000)
def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces."""
    return _NON_WORD.sub(" ", unaccented(text)).strip()


def unaccented(text: str) -> str:
    """Lower case, ligatures spelt out, no accents; punctuation and line breaks kept (a
    list of words joined by line breaks is folded in one call)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def singular(token: str) -> str:
    """Drop a regular plural mark: "dechets" -> "dechet", "bureaux" -> "bureau"."""
    if len(token) > 3 and token[-1] in "sx" and not token.endswith("ss"):
        return token[:-1]
    return token


def tokens(text: str) -> list[str]:
    """The meaningful tokens of a label, folded and singular, in reading order."""
    return [singular(t) for t in fold(text).split() if t not in STOP_WORDS]


_LISTING = re.compile(r",|\+|&|/|\b(?:et|and|ou|or)\b")


def _head(text: str) -> str:
    cut = _HEAD_END.search(text.lower())
    return text if cut is None else text[: cut.start()]


def head_length(text: str) -> int:
    """How many of the label's tokens (as `tokens` counts them) form its head: what the
    resource is, before what it is for, where it comes from or a detail."""
    return len(tokens(_head(text)))


# Where a need's end use starts: "organic wastes *as gasifier feed*", "sulfate de calcium
# *comme régulateur de prise*". What follows names the function the need fills, which
# says what the receiver takes as much as the material named before it does.
_END_USE = re.compile(
    r"\b(?:(?:for\s+use|used|to\s+be\s+used|utilis[ée]+s?|employ[ée]+s?)\s+)?"
    r"(?:as|comme|en\s+tant\s+que|servant\s+de|pour\s+servir\s+de)\b"
)


@lru_cache(maxsize=500_000)
def end_use_start(text: str) -> int:
    """How many of the label's tokens come before an end-use phrase that starts where its
    head ends ("X as gasifier feed", "X comme matière première"); 0 when there is none."""
    head = _head(text)
    use = next((m for m in _END_USE.finditer(text.lower()) if m.end() >= len(head)), None)
    if use is None or not head.strip() or use.start() > len(head) + 1:
        return 0
    return len(tokens(text[: use.start()]))


def listed_head(text: str) -> int:
    """`head_length` when the head lists several things ("vapeur, eau et azote"); 0 when
    it names one thing."""
    head = _head(text)
    return len(tokens(head)) if _LISTING.search(head.lower()) else 0


# What a need replaces ("fuel for the kiln *instead of coal*", "énergie de récupération
# *pour remplacer le gaz*") is what the receiver stops buying, not what it asks for.
_REPLACED = re.compile(
    r"\b(?:instead\s+of|in\s+place\s+of|rather\s+than|replacing|to\s+replace|"
    r"à\s+la\s+place\s+d(?:u|es?)|au\s+lieu\s+d(?:u|es?)|en\s+remplacement\s+d(?:u|es?)|"
    r"pour\s+remplacer|remplaçant)\b"
)


@lru_cache(maxsize=500_000)
def before_replaced(text: str) -> str:
    """The label without what it says the resource replaces; the label itself when
    nothing comes before that."""
    found = _REPLACED.search(text.lower())
    if found is None or not text[: found.start()].strip():
        return text
    return text[: found.start()]
