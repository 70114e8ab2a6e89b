"""How a CSV file was written: its encoding and its separator, detected from a sample.

A facilitator's CSV comes from whatever spreadsheet software they have: French Excel
writes Windows-1252 and ";", others UTF-8 (with or without a BOM), some UTF-16.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass

SNIFF_CHARS = 1 << 15
DELIMITERS = ",;\t|"


@dataclass(frozen=True, slots=True)
class Dialect:
    encoding: str
    label: str
    delimiter: str


def detect_encoding(sample: bytes) -> tuple[str, str]:
    """(Python codec, name shown): a BOM decides; else the zeros of UTF-16; else UTF-8 if
    the sample decodes, else Windows-1252, what French Excel writes by default."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8 (BOM)"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "UTF-16"
    # UTF-16 without its BOM (some exports write none): a CSV is mostly ASCII, so every
    # other byte is a zero, on the odd side in little-endian, on the even side in big.
    even, odd = sample[0::2], sample[1::2]
    if len(sample) >= 8:
        if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le", "UTF-16"
        if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be", "UTF-16"
    for codec, label in (("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            codecs.getincrementaldecoder(codec)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return codec, label
    return "latin-1", "ISO-8859-1"


def detect_delimiter(text: str) -> str:
    """csv.Sniffer on a sample, checked against the header line, where a separator is
    the most frequent character among the candidates (headers rarely contain one)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and counts.get(sniffed, 0) == counts[best] and counts[best] > 0:
        return sniffed
    return best if counts[best] > 0 else ","


def detect_dialect(sample: bytes) -> Dialect:
    encoding, label = detect_encoding(sample)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    return Dialect(encoding, label, detect_delimiter(text))
