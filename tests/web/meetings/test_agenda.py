"""A participant's agenda: the phone page in time order, the printable page, the .ics."""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from symbiose.web.meetings import scheduling
from symbiose.web.meetings.models import Meeting
from tests.web.meetings.conftest import Day

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def published(day: Day) -> Day:
    a = day.actors
    for other, slot, table in (("garage", 3, 1), ("scierie", 1, 2), ("ferme", 2, 1)):
        request = day.ask("fromagerie", other, accept=True)
        scheduling.meeting_place(request=request, slot=slot, table=table, by=None)
    day.event.date = datetime.date(2026, 3, 29)  # the night summer time starts in Paris
    day.event.start_time = datetime.time(1, 20)
    day.event.save()
    scheduling.event_publish(event=day.event, state="final", by=None)
    day.extra["actor"] = a["fromagerie"]
    return day


def _url(day: Day, name: str) -> str:
    return reverse(f"meetings:{name}", args=[day.territory.slug, day.event.pk,
                                             day.actors["fromagerie"].pk])


def test_phone_page_in_time_order(published: Day) -> None:
    page = published.client("member").get(_url(published, "agenda"))
    rows = page.context["rows"]
    assert [r.other for r in rows] == ["Scierie Durand", "Ferme des Prés", "Garage Central"]
    assert [r.table for r in rows] == [2, 1, 1]
    body = page.content.decode()
    assert body.index("Scierie Durand") < body.index("Ferme des Prés") < body.index(
        "Garage Central")
    assert 'name="viewport"' in body


def test_printable_page_has_print_styles(published: Day) -> None:
    page = published.client("member").get(_url(published, "agenda_print"))
    body = page.content.decode()
    assert page.status_code == 200 and "meetings-print.css" in body and "<script>" not in body
    from django.contrib.staticfiles import finders

    css = finders.find("symbiose/meetings-print.css")
    assert css and "@media print" in Path(css).read_text(encoding="utf-8")


def test_ics_parses_with_paris_times(published: Day) -> None:
    response = published.client("member").get(_url(published, "agenda_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].endswith('.ics"')
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == [
        "Rencontre avec Scierie Durand", "Rencontre avec Ferme des Prés",
        "Rencontre avec Garage Central"] or [str(e["summary"]) for e in events] == [
        "Meeting with Scierie Durand", "Meeting with Ferme des Prés",
        "Meeting with Garage Central"]
    starts = [e.decoded("dtstart") for e in events]
    # 01:20, 01:40, then 02:00 does not exist that night: the wall clock reads 03:00.
    assert [s.astimezone(PARIS).strftime("%H:%M") for s in starts] == ["01:20", "01:40",
                                                                        "03:00"]
    assert all(str(s.tzinfo) == "Europe/Paris" for s in starts)
    assert "Table 2" in str(events[0]["location"])
    assert calendar.walk("VTIMEZONE")
    uids = {str(e["uid"]) for e in events}
    assert uids == {f"symbiose-meeting-{m.pk}@testserver" for m in Meeting.objects.all()}
