"""Sections other apps add to an actor's page: its proposals today, its bookings or its
workshops tomorrow. The territory app shows actors without importing the apps that know
more about them; each such app registers its section when Django starts (its
`AppConfig.ready`), and the actor page renders every registered one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Actor


@dataclass(frozen=True)
class ActorSection:
    """A template and what it is given: `context(viewer, actor)`, read only for a reader
    who may edit the actor (a facilitator, or the actor's own member)."""

    name: str
    template: str
    context: Callable[[Viewer, Actor], dict[str, Any]]


_SECTIONS: dict[str, ActorSection] = {}


def actor_section_register(section: ActorSection) -> None:
    """Add a section to the actor page (registering the same name again replaces it)."""
    _SECTIONS[section.name] = section


def actor_sections(*, viewer: Viewer, actor: Actor) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every section, in the order they were registered."""
    return [(section.template, section.context(viewer, actor))
            for section in _SECTIONS.values()]


@dataclass(frozen=True)
class TerritoryPanel:
    """A panel other apps add to the territory's dashboard: `context(viewer)` returns what
    its template is given, or None when the reader is to see no panel."""

    name: str
    template: str
    context: Callable[[Viewer], dict[str, Any] | None]


_PANELS: dict[str, TerritoryPanel] = {}


def territory_panel_register(panel: TerritoryPanel) -> None:
    """Add a panel to the dashboard (registering the same name again replaces it)."""
    _PANELS[panel.name] = panel


def territory_panels(*, viewer: Viewer) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every panel the reader is to see, in registration order."""
    shown = []
    for panel in _PANELS.values():
        context = panel.context(viewer)
        if context is not None:
            shown.append((panel.template, context))
    return shown
