"""The web apps depend on each other one way (DESIGN.md, the README's layout): from the
features down to the data they read and to who reads it. Every import is counted, at a
module's top or inside a function (where a cycle hides), and `if TYPE_CHECKING` too."""

from __future__ import annotations

import ast
from pathlib import Path

import symbiose.web

WEB = Path(symbiose.web.__file__).resolve().parent
# Each app may import only apps of a lower layer.
LAYERS = {
    "audit": 0, "jobs": 0, "submissions": 0,  # record, run, protect writes: know nobody
    "accounts": 1,  # who reads
    "territory": 2,  # territories, actors, flow balances
    "synergies": 3,  # proposals and the programme
    "dashboard": 4, "transfer": 4, "workshops": 4, "meetings": 4,  # features over the data
    "lending": 4, "campaigns": 4,
    "api": 5,  # over every feature
    "ledger": 5,  # its reports draw the dashboard's metabolism, as an observer reads it
    "company": 6,  # the company member's own space, over every feature and the ledger
    "region": 5,  # over the territories' figures (dashboard, and the ledger to come)
}


def _apps() -> list[str]:
    return sorted(p.name for p in WEB.iterdir()
                  if (p / "__init__.py").exists() and p.name not in {"templates", "static",
                                                                      "locale"})


def _imports(app: str) -> list[tuple[str, str, int]]:
    """(imported app, file, line) of every import of another web app by this one."""
    found = []
    for path in (WEB / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[:2] == ["symbiose", "web"] and len(parts) > 2 and parts[2] != app:
                    found.append((parts[2], str(path.relative_to(WEB)), node.lineno))
    return found


def test_every_app_has_a_layer() -> None:
    assert set(_apps()) == set(LAYERS), "place the new app in LAYERS (and the README)"


def test_apps_import_only_lower_layers() -> None:
    wrong = [f"{where}:{line} imports {other}"
             for app in _apps() for other, where, line in _imports(app)
             if other in LAYERS and LAYERS[other] >= LAYERS[app]]
    assert wrong == []


def test_accounts_knows_who_reads_not_what_is_read() -> None:
    """accounts refers to territories and actors by name ("territory.Actor"), never by
    import: it may record into the audit trail, nothing else."""
    assert {other for other, _, _ in _imports("accounts")} <= {"audit"}


def test_the_walk_sees_imports_inside_functions() -> None:
    # synergies registers its actor-page section from AppConfig.ready(), inside a method.
    assert ("territory", "synergies/apps.py") in {
        (other, where) for other, where, _ in _imports("synergies")}
