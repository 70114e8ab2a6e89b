"""What the browser tests share: the demo server they drive, where screenshots go."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@dataclass(frozen=True)
class DemoServer:
    url: str
    username: str
    password: str
    output: str
    # The other demo accounts by role: {"member": ("fromagerie", "symbiose-demo"), …}
    accounts: dict[str, tuple[str, str]] = field(default_factory=dict)
