"""What the browser tests share: the demo server they drive, where screenshots go."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# A phone-sized window, as a company director reads the site.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True, "locale": "fr-FR"}


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


def log_in(page: Any, url: str, username: str, password: str) -> None:
    """Log in from the page at `url` (the login page, or one that leads to it)."""
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:not(.link)")
