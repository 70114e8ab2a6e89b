"""Scheduling through the pages: locked meetings and unavailable slots kept, moves
with their conflicts said, publication, a change after the final agenda shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from symbiose.core.meetings.reasons import FULLY_BOOKED
from symbiose.web.meetings import scheduling
from symbiose.web.meetings.models import Meeting, MeetingEvent
from tests.web.meetings.conftest import Day

pytestmark = pytest.mark.django_db


def _url(day: Day, name: str, *args: int) -> str:
    return reverse(f"meetings:{name}", args=[day.territory.slug, day.event.pk, *args])


def _pair(meeting: Meeting) -> set[int]:
    return {meeting.a_id, meeting.b_id}


def test_schedule_all_keeps_locked_and_unavailable(day: Day) -> None:
    a = day.actors
    day.ask("fromagerie", "scierie", accept=True)
    day.ask("fromagerie", "ferme", accept=True)
    day.ask("scierie", "garage", accept=True)
    day.ask("ferme", "garage", accept=False)
    client = day.client("facilitator")
    # The ferme cannot come to slot 1 nor 2.
    response = client.post(_url(day, "unavailable", a["ferme"].pk), {"slots": ["1", "2"]})
    assert response.status_code == 302
    assert client.post(_url(day, "schedule")).status_code == 302
    assert Meeting.objects.filter(event=day.event).count() == 3
    # Lock the fromagerie–scierie meeting at slot 4, table 2 by moving it there.
    first = next(m for m in Meeting.objects.all() if _pair(m) == {a["fromagerie"].pk,
                                                                  a["scierie"].pk})
    moved = client.post(_url(day, "move", first.pk), {"slot": 4, "table": 2})
    assert moved.status_code == 302
    assert client.post(_url(day, "schedule")).status_code == 302
    kept = Meeting.objects.get(pk=first.pk)
    assert (kept.slot, kept.table, kept.locked) == (4, 2, True)
    for meeting in Meeting.objects.filter(event=day.event):
        if a["ferme"].pk in _pair(meeting):
            assert meeting.slot not in (1, 2)
    grid = client.get(_url(day, "grid"))
    assert grid.status_code == 200
    assert 'class="tag locked"' in grid.content.decode()


def test_requests_left_out_are_listed_with_the_reason(day: Day) -> None:
    day.event.slots = 1
    day.event.save()
    day.ask("fromagerie", "scierie", accept=True)
    day.ask("fromagerie", "ferme", accept=True)  # the fromagerie cannot meet twice at slot 1
    client = day.client("facilitator")
    client.post(_url(day, "schedule"))
    grid = client.get(_url(day, "grid"))
    [left] = grid.context["unplaced"]
    assert left.reason == FULLY_BOOKED and left.request_id is not None
    # The scheduler's sentence, in the reader's language (French first).
    body = grid.content.decode()
    assert 'id="unplaced"' in body and "est déjà complet" in body.replace("\xa0", " ")


def test_move_shows_conflicts_then_refuses(day: Day) -> None:
    a = day.actors
    day.ask("fromagerie", "scierie", accept=True)
    day.ask("ferme", "garage", accept=True)
    day.ask("fromagerie", "garage", accept=True)
    scheduling.event_schedule(event=day.event, by=None)
    meetings = {frozenset(_pair(m)): m for m in Meeting.objects.all()}
    one = meetings[frozenset({a["fromagerie"].pk, a["scierie"].pk})]
    two = meetings[frozenset({a["ferme"].pk, a["garage"].pk})]
    three = meetings[frozenset({a["fromagerie"].pk, a["garage"].pk})]
    client = day.client("facilitator")
    # Moving the fromagerie–garage meeting onto the ferme–garage table and slot: the
    # table is taken and the garage busy; said before saving (HTMX), then refused.
    query = {"slot": two.slot, "table": two.table}
    preview = client.get(_url(day, "move", three.pk), query, HTTP_HX_REQUEST="true")
    messages = [c.message for c in preview.context["conflicts"]]
    assert any("Garage Central" in m for m in messages) and len(messages) >= 2
    refused = client.post(_url(day, "move", three.pk), query)
    assert refused.status_code == 400 and refused.context["form"].errors
    # An unavailable participant needs a confirmation.
    free_slot = next(s for s in range(1, day.event.slots + 1)
                     if s not in {one.slot, two.slot, three.slot})
    scheduling_unavailable(day, "scierie", [free_slot])
    target = {"slot": free_slot, "table": 1}
    warned = client.post(_url(day, "move", one.pk), target)
    assert warned.status_code == 400 and "slot" in warned.context["form"].errors
    done = client.post(_url(day, "move", one.pk), {**target, "confirmed": "on"})
    assert done.status_code == 302
    one.refresh_from_db()
    assert (one.slot, one.table) == (free_slot, 1)


def scheduling_unavailable(day: Day, ext: str, slots: list[int]) -> None:
    from symbiose.web.meetings.services import participant_unavailable_set

    participant_unavailable_set(event=day.event, actor=day.actors[ext], slots=slots, by=None)


def test_publish_then_a_change_after_final_is_shown(day: Day) -> None:
    day.ask("fromagerie", "scierie", accept=True)
    client = day.client("facilitator")
    assert client.post(_url(day, "publish"), {"state": "preliminary"}).status_code == 302
    day.event.refresh_from_db()
    assert day.event.state == MeetingEvent.State.DRAFT  # nothing placed yet: refused
    client.post(_url(day, "schedule"))
    client.post(_url(day, "publish"), {"state": "preliminary"})
    client.post(_url(day, "publish"), {"state": "final"})
    day.event.refresh_from_db()
    assert day.event.state == MeetingEvent.State.FINAL and day.event.final_at
    meeting = Meeting.objects.get()
    agenda = _url(day, "agenda", day.actors["fromagerie"].pk)
    member = day.client("member")
    assert member.get(agenda).context["changed"] is False
    target = 4 if meeting.slot != 4 else 3
    client.post(_url(day, "move", meeting.pk), {"slot": target, "table": 1})
    page = member.get(agenda)
    assert page.context["changed"] is True
    assert page.context["rows"][0].changed
    day.event.refresh_from_db()
    assert day.event.changed_after_final_at is not None
