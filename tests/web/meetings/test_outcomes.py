"""Outcomes after the day: recorded by a participant or the facilitator, counted on the
event page, and shown on the programme board's card of the synergy met about."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from symbiose.web.meetings import scheduling, services
from symbiose.web.meetings.models import Meeting
from symbiose.web.synergies.models import Proposal
from tests.web.meetings.conftest import Day

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_day(day: Day, proposal_make: Callable[..., Proposal]) -> Day:
    kept = proposal_make("fromagerie", "scierie", decision="kept")
    day.extra["proposal"] = kept
    for (a, b), slot in ((("fromagerie", "scierie"), 1), (("ferme", "garage"), 1),
                         (("fromagerie", "garage"), 2)):
        request = day.ask(a, b, accept=True, proposal=kept if b == "scierie" else None)
        scheduling.meeting_place(request=request, slot=slot, table=1 if a != "ferme" else 2,
                                 by=None)
    scheduling.event_publish(event=day.event, state="final", by=None)
    day.event.date = timezone.localdate() - datetime.timedelta(days=1)
    day.event.save()
    return day


def _outcome_url(day: Day, meeting: Meeting) -> str:
    return reverse("meetings:outcome", args=[day.territory.slug, day.event.pk, meeting.pk])


def test_participant_records_and_counts_show(held_day: Day) -> None:
    day = held_day
    meeting = Meeting.objects.get(proposal=day.extra["proposal"])
    response = day.client("member2").post(_outcome_url(day, meeting), {
        "outcome": "follow_up", "note": "Essai de livraison en mai"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.outcome == "follow_up" and meeting.outcome_by_id == day.users["member2"].pk
    other = Meeting.objects.get(a=day.actors["ferme"])
    services.meeting_outcome_set(meeting=other, outcome="no_show", note="",
                                 by=day.users["facilitator"])
    page = day.client("facilitator").get(reverse("meetings:event",
                                                 args=[day.territory.slug, day.event.pk]))
    assert page.context["counts"] == {"": 1, "held": 0, "follow_up": 1, "no_show": 1}
    # A member counts its own meetings only, and never reads another's note.
    member = day.client("member").get(reverse("meetings:event",
                                              args=[day.territory.slug, day.event.pk]))
    assert member.context["counts"] == {"": 1, "held": 0, "follow_up": 1, "no_show": 0}
    assert day.client("member").get(_outcome_url(day, other)).status_code == 404


def test_outcome_waits_for_the_day(day: Day) -> None:
    request = day.ask("fromagerie", "scierie", accept=True)
    meeting = scheduling.meeting_place(request=request, slot=1, table=1, by=None)
    with pytest.raises(services.MeetingRefused) as refused:
        services.meeting_outcome_set(meeting=meeting, outcome="held", note="", by=None)
    assert refused.value.field == "outcome"


def test_board_card_says_the_meeting_was_held(held_day: Day) -> None:
    day = held_day
    meeting = Meeting.objects.get(proposal=day.extra["proposal"])
    board = reverse("synergies:board", args=[day.territory.slug])
    assert "Rencontre tenue" not in day.client("facilitator").get(board).content.decode()
    services.meeting_outcome_set(meeting=meeting, outcome="held", note="", by=None)
    when = day.event.date.strftime("%d/%m/%Y")
    for role in ("facilitator", "member"):
        body = day.client(role).get(board).content.decode()
        assert f"Rencontre tenue le {when}" in body, role


def test_schedule_all_refused_once_outcomes_exist(held_day: Day) -> None:
    meeting = Meeting.objects.first()
    assert meeting is not None
    services.meeting_outcome_set(meeting=meeting, outcome="held", note="", by=None)
    with pytest.raises(services.MeetingRefused):
        scheduling.event_schedule(event=held_day.event, by=None)


def test_proposal_page_offers_a_meeting_request(
        day: Day, proposal_make: Callable[..., Proposal]) -> None:
    both = proposal_make("fromagerie", "scierie")
    outside = proposal_make("fromagerie", "absent")
    url = reverse("synergies:proposal", args=[day.territory.slug, both.pk])
    page = day.client("member").get(url)
    [link] = page.context["links"]
    a, b = day.actors["fromagerie"].pk, day.actors["scierie"].pk
    assert link.url.endswith(f"?from={a}&to={b}&proposal={both.pk}")
    assert link.url in page.content.decode().replace("&amp;", "&")
    # The other side asks from its own end.
    [other] = day.client("member2").get(url).context["links"]
    assert f"from={b}&to={a}" in other.url
    none = day.client("member").get(reverse("synergies:proposal",
                                            args=[day.territory.slug, outside.pk]))
    assert none.context["links"] == []
    # Once the deadline has passed, no link.
    day.event.request_deadline = timezone.now() - datetime.timedelta(minutes=1)
    day.event.save()
    assert day.client("member").get(url).context["links"] == []
