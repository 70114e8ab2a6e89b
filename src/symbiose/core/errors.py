"""The one base exception of the engine, and the few errors callers catch by type."""

from __future__ import annotations


class SymbioseError(Exception):
    """Every error the core raises on purpose derives from this one."""


class UnknownCodeError(SymbioseError, ValueError):
    """A nomenclature code (EWC, NAF/NACE) that does not exist.

    `suggestions` holds the nearest valid codes, best first, so that the message shown to a
    facilitator can say what they probably meant.
    """

    def __init__(self, *, nomenclature: str, value: str, suggestions: tuple[str, ...] = ()):
        self.nomenclature = nomenclature
        self.value = value
        self.suggestions = suggestions
        hint = f" (nearest: {', '.join(suggestions)})" if suggestions else ""
        super().__init__(f"unknown {nomenclature} code {value!r}{hint}")


class UnknownUnitError(SymbioseError, ValueError):
    """A unit of measure that neither pint nor the project's definitions know."""

    def __init__(self, *, value: str, suggestions: tuple[str, ...] = ()):
        self.value = value
        self.suggestions = suggestions
        hint = f" (nearest: {', '.join(suggestions)})" if suggestions else ""
        super().__init__(f"unknown unit {value!r}{hint}")
