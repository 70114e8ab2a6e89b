"""A participant's agenda as an iCalendar file, for the phone's calendar."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event

from symbiose.web.meetings.models import MeetingEvent
from symbiose.web.meetings.selectors import AgendaRow


def agenda_ics(*, event: MeetingEvent, participant: str, rows: list[AgendaRow],
               host: str) -> bytes:
    """One VEVENT per meeting, with stable UIDs so that a calendar importing the file
    again updates the meetings instead of doubling them. Times carry their zone
    (Europe/Paris), which icalendar writes as a VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", "-//Symbiose//business meetings//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.title} · {participant}")
    stamp = timezone.now()
    for row in rows:
        entry = Event()
        entry.add("uid", f"symbiose-meeting-{row.meeting_id}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("summary", gettext("Meeting with %(name)s") % {"name": row.other})
        entry.add("dtstart", row.start)
        entry.add("dtend", row.end)
        place = gettext("Table %(table)d") % {"table": row.table}
        entry.add("location", f"{event.place} · {place}" if event.place else place)
        entry.add("description", event.title)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
