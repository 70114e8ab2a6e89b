"""The grid and the agenda read a bounded number of queries, whatever the number of
participants."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from symbiose.web.meetings.models import Meeting, MeetingRequest, Participant
from symbiose.web.territory.models import Actor
from tests.web.meetings.conftest import Day

pytestmark = pytest.mark.django_db
PARTICIPANTS = 60


@pytest.fixture
def crowded(day: Day) -> Day:
    """60 participants, each in up to 8 meetings on a 16 × 30 grid."""
    event = day.event
    event.slots, event.tables = 16, 30
    event.save()
    extra = Actor.objects.bulk_create(
        Actor(territory=day.territory, external_id=f"a{i}", name=f"Entreprise {i:02d}")
        for i in range(PARTICIPANTS - 4))
    Participant.objects.bulk_create(Participant(event=event, actor=a, unavailable=[3])
                                    for a in extra)
    actors = [day.actors[e] for e in ("fromagerie", "scierie", "ferme", "garage")] + extra
    meetings, requests = [], []
    table_of: dict[int, int] = {}
    for slot in range(1, 9):
        for i in range(0, PARTICIPANTS, 2):
            a, b = actors[i], actors[(i + 2 * slot + 1) % PARTICIPANTS]
            if a.pk == b.pk:
                continue
            low, high = sorted((a.pk, b.pk))
            request = MeetingRequest(event=event, requester=a, requested=b, pair_low=low,
                                     pair_high=high, status="accepted")
            requests.append(request)
            table_of[slot] = table_of.get(slot, 0) + 1
            meetings.append((slot, table_of[slot], a, b, request))
    MeetingRequest.objects.bulk_create(requests, ignore_conflicts=True)
    from django.utils import timezone

    busy: set[tuple[int, int]] = set()
    rows = []
    for slot, table, a, b, _ in meetings:
        if (a.pk, slot) in busy or (b.pk, slot) in busy:
            continue
        busy |= {(a.pk, slot), (b.pk, slot)}
        rows.append(Meeting(event=event, a=a, b=b, slot=slot, table=table,
                            placed_at=timezone.now()))
    Meeting.objects.bulk_create(rows)
    event.state = "final"
    event.save()
    assert Meeting.objects.count() > 150
    return day


def test_grid_queries(crowded: Day, django_assert_max_num_queries: Any) -> None:
    client = crowded.client("facilitator")
    url = reverse("meetings:grid", args=[crowded.territory.slug, crowded.event.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["rows"]) == 16


def test_event_page_queries(crowded: Day, django_assert_max_num_queries: Any) -> None:
    client = crowded.client("facilitator")
    url = reverse("meetings:event", args=[crowded.territory.slug, crowded.event.pk])
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert len(response.context["participants"]) == PARTICIPANTS


@pytest.mark.parametrize("name", ["agenda", "agenda_print", "agenda_ics"])
def test_agenda_queries(crowded: Day, name: str, django_assert_max_num_queries: Any) -> None:
    client = crowded.client("member")
    url = reverse(f"meetings:{name}", args=[crowded.territory.slug, crowded.event.pk,
                                            crowded.actors["fromagerie"].pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
