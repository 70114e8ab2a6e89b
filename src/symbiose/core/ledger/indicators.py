"""The indicator set as data: the packaged YAML, to which a territory may add its own.

Each indicator says what it is (label, definition in French and English), its unit, and
either how it is computed or who fills it, and its source; a file that leaves one out is
refused, naming the indicator and the missing key, rather than half-read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from symbiose.core.errors import SymbioseError
from symbiose.core.yamldata import yaml_parse

KINDS = ("ledger", "funnel", "qualitative")
QUALITATIVE_MAX = 4


class IndicatorError(SymbioseError, ValueError):
    """An indicator definition that cannot be used, with the indicator named."""


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    kind: str
    unit: str
    label: Mapping[str, str]  # language -> text
    definition: Mapping[str, str]
    how: Mapping[str, str]  # how computed, or who fills it, by language
    source: str

    def text(self, field: str, language: str) -> str:
        values: Mapping[str, str] = getattr(self, field)
        return values.get(language[:2]) or values.get("fr") or self.id


def _texts(raw: Any, where: str, key: str) -> dict[str, str]:
    if isinstance(raw, str):
        return {"fr": raw, "en": raw}
    if not isinstance(raw, dict) or not raw.get("fr"):
        raise IndicatorError(f"{where}: {key!r} needs at least a French text (fr)")
    return {str(k): str(v) for k, v in raw.items()}


def indicator_parse(raw: Mapping[str, Any], where: str = "indicator") -> Indicator:
    ident = str(raw.get("id") or "").strip()
    if not ident:
        raise IndicatorError(f"{where}: 'id' is missing")
    where = f"{where} {ident!r}"
    kind = str(raw.get("kind") or "")
    if kind not in KINDS:
        raise IndicatorError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    how_raw = raw.get("computed") or raw.get("filled_by")
    if not how_raw:
        raise IndicatorError(f"{where}: say how it is computed ('computed') or who fills it "
                             "('filled_by')")
    for key in ("unit", "source"):
        if not str(raw.get(key) or "").strip():
            raise IndicatorError(f"{where}: {key!r} is missing")
    return Indicator(ident, kind, str(raw["unit"]), _texts(raw.get("label"), where, "label"),
                     _texts(raw.get("definition"), where, "definition"),
                     _texts(how_raw, where, "computed"), str(raw["source"]))


@cache
def _packaged() -> tuple[Indicator, ...]:
    text = files("symbiose.core.ledger.data").joinpath("indicators.yaml").read_text("utf-8")
    return tuple(indicator_parse(raw, f"indicators.yaml #{i + 1}")
                 for i, raw in enumerate(yaml_parse(text)))


def indicator_set(extra: Iterable[Indicator] = ()) -> tuple[Indicator, ...]:
    """The packaged set followed by a territory's own; an id used twice is refused."""
    found = list(_packaged())
    seen = {i.id for i in found}
    for indicator in extra:
        if indicator.id in seen:
            raise IndicatorError(f"indicator {indicator.id!r} is defined twice")
        seen.add(indicator.id)
        found.append(indicator)
    return tuple(found)
