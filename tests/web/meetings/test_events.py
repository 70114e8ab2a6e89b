"""The facilitator's event pages: created once, settings that would drop meetings
refused beside the field, participants added and taken out with their meetings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from symbiose.web.meetings import scheduling
from symbiose.web.meetings.models import Meeting, MeetingEvent, MeetingRequest, Participant
from tests.web.meetings.conftest import Day

pytestmark = pytest.mark.django_db

FIELDS = {"title": "Journée d'automne", "date": "2030-10-02", "place": "Vire",
          "start_time": "14:00", "slot_minutes": "15", "slots": "8", "tables": "5",
          "request_deadline": "2030-09-25T18:00"}


def test_event_created_once(day: Day) -> None:
    client = day.client("facilitator")
    url = reverse("meetings:event_create", args=[day.territory.slug])
    token = client.get(url).context["token"]
    first = client.post(url, {**FIELDS, "submission_token": token})
    second = client.post(url, {**FIELDS, "submission_token": token})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert MeetingEvent.objects.filter(title="Journée d'automne").count() == 1
    bad = client.post(url, {**FIELDS, "slots": "0", "submission_token": "other"})
    assert bad.status_code == 400 and "slots" in bad.context["form"].errors
    assert day.client("member").get(url).status_code == 404


def test_grid_not_shrunk_under_placed_meetings(day: Day) -> None:
    request = day.ask("fromagerie", "scierie", accept=True)
    scheduling.meeting_place(request=request, slot=4, table=2, by=None)
    client = day.client("facilitator")
    url = reverse("meetings:event_edit", args=[day.territory.slug, day.event.pk])
    response = client.post(url, {**FIELDS, "slots": "3", "tables": "5"})
    assert response.status_code == 400
    assert 'id="id_slots-errors"' in response.content.decode()
    day.event.refresh_from_db()
    assert day.event.slots == 4
    assert client.post(url, {**FIELDS, "slots": "6", "tables": "2"}).status_code == 302
    day.event.refresh_from_db()
    assert (day.event.slots, day.event.title) == (6, "Journée d'automne")


def test_participant_added_then_removed_with_its_meetings(day: Day) -> None:
    client = day.client("facilitator")
    add = reverse("meetings:participant_add", args=[day.territory.slug, day.event.pk])
    absent = day.actors["absent"]
    assert client.post(add, {"actor": absent.pk}).status_code == 302
    assert Participant.objects.filter(event=day.event, actor=absent).exists()
    request = day.ask("absent", "fromagerie", accept=True)
    scheduling.meeting_place(request=request, slot=1, table=1, by=None)
    remove = reverse("meetings:participant_remove",
                     args=[day.territory.slug, day.event.pk, absent.pk])
    assert client.post(remove).status_code == 302
    assert not Participant.objects.filter(event=day.event, actor=absent).exists()
    assert not MeetingRequest.objects.filter(pk=request.pk).exists()
    assert not Meeting.objects.filter(event=day.event).exists()
