"""What the browser tests share: the demo server they drive, where screenshots go."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@dataclass(frozen=True)
class DemoServer:
    url: str
    username: str
    password: str
    output: str
    # The other demo accounts by role: {"member": ("fromagerie", "symbiose-demo"), …}
    accounts: dict[str, tuple[str, str]] = field(default_factory=dict)


def meeting_day_create(page: Any, *, title: str, date: str, deadline: str, slots: int,
                       tables: int) -> None:
    """From the territory's meetings page, a new meeting day starting at 09:00."""
    page.locator(".territory-nav li a[href$='/meetings/']").click()
    page.click("#new-event")
    page.fill("#id_title", title)
    page.fill("#id_date", date)
    page.fill("#id_start_time", "09:00")
    page.fill("#id_slots", str(slots))
    page.fill("#id_tables", str(tables))
    page.fill("#id_request_deadline", deadline)
    page.click("#save-event")
