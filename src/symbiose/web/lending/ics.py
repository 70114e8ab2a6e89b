"""Bookings as an iCalendar file, for the phone's calendar: per item, per company."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from icalendar import Calendar, Event


@dataclass(frozen=True)
class Entry:
    key: str  # stable: importing the file again updates the events instead of doubling
    summary: str
    start: datetime.datetime
    end: datetime.datetime
    description: str = ""
    location: str = ""


def bookings_ics(*, name: str, entries: list[Entry], host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Symbiose//lending//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    zone = timezone.get_default_timezone()
    for item in entries:
        event = Event()
        event.add("uid", f"symbiose-lending-{item.key}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        event.add("dtstart", item.start.astimezone(zone))
        event.add("dtend", item.end.astimezone(zone))
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
