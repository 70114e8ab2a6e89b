"""Where the shared reference material lives: the evaluation cases beside the checkout."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def case_dirs() -> list[Path]:
    cases = SHARED / "cases"
    return sorted(p for p in cases.iterdir() if p.is_dir()) if cases.is_dir() else []
