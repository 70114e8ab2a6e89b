"""Who sees what of the meetings: the facilitator everything of its territory, a member
its events, their participants and its own requests and agenda, an observer nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from symbiose.web.meetings import scheduling, selectors, services
from symbiose.web.meetings.models import Meeting
from symbiose.web.meetings.visibility import event_scope_visible
from symbiose.web.territory.access import viewer_get
from tests.web.meetings.conftest import Day, event_make

pytestmark = pytest.mark.django_db


def _viewer(day: Day, role: str):  # type: ignore[no-untyped-def]
    return viewer_get(user=day.users[role], territory=day.territory)


def test_events_a_member_sees(day: Day) -> None:
    unrelated = event_make(day.territory, title="Autre journée")
    assert set(event_scope_visible(viewer=_viewer(day, "facilitator"))) == {day.event, unrelated}
    assert list(event_scope_visible(viewer=_viewer(day, "member"))) == [day.event]
    assert list(event_scope_visible(viewer=_viewer(day, "outsider"))) == []


def test_member_reads_only_its_own_requests(day: Day) -> None:
    mine = day.ask("fromagerie", "scierie")
    received = day.ask("ferme", "fromagerie")
    day.ask("ferme", "garage")  # not the member's
    rows = selectors.request_rows(viewer=_viewer(day, "member"), event=day.event)
    assert {r.id for r in rows} == {mine.pk, received.pk}
    assert {r.id for r in rows if r.can_answer} == {received.pk}
    every = selectors.request_rows(viewer=_viewer(day, "facilitator"), event=day.event)
    assert len(every) == 3


def test_event_page_per_role(day: Day) -> None:
    day.ask("ferme", "garage")
    services.participant_unavailable_set(event=day.event, actor=day.actors["garage"],
                                         slots=[2], by=None)
    url = reverse("meetings:event", args=[day.territory.slug, day.event.pk])
    member = day.client("member").get(url)
    body = member.content.decode()
    # The participating companies are named; other companies' requests are not shown.
    assert "Garage Central" in body and "Scierie Durand" in body
    assert not member.context["requests"]
    assert all(p.unavailable == () for p in member.context["participants"])
    assert day.client("outsider").get(url).status_code == 404
    assert day.client("observer").get(url).status_code == 404
    facilitator = day.client("facilitator").get(url)
    assert len(facilitator.context["requests"]) == 1


def test_member_sees_its_agenda_once_published(day: Day) -> None:
    day.ask("fromagerie", "scierie", accept=True)
    day.ask("ferme", "garage", accept=True)
    scheduling.event_schedule(event=day.event, by=None)
    own = reverse("meetings:agenda", args=[day.territory.slug, day.event.pk,
                                           day.actors["fromagerie"].pk])
    other = reverse("meetings:agenda", args=[day.territory.slug, day.event.pk,
                                             day.actors["ferme"].pk])
    member = day.client("member")
    assert member.get(own).status_code == 404  # a draft is nobody's agenda yet
    scheduling.event_publish(event=day.event, state="preliminary", by=None)
    page = member.get(own)
    assert page.status_code == 200 and [r.other for r in page.context["rows"]] == [
        "Scierie Durand"]
    assert member.get(other).status_code == 404
    assert member.get(other.replace("/agenda/", "/agenda/") + "agenda.ics").status_code == 404
    meeting = Meeting.objects.get(a=day.actors["ferme"])
    outcome = reverse("meetings:outcome", args=[day.territory.slug, day.event.pk, meeting.pk])
    assert member.get(outcome).status_code == 404
    assert day.client("facilitator").get(other).status_code == 200


@pytest.mark.parametrize("name", ["events", "event_create", "request_create"])
def test_observer_meets_404(day: Day, name: str) -> None:
    url = reverse(f"meetings:{name}", args=[day.territory.slug])
    assert day.client("observer").get(url).status_code == 404


def test_member_cannot_reach_the_facilitator_pages(day: Day) -> None:
    for name in ("grid", "event_edit"):
        url = reverse(f"meetings:{name}", args=[day.territory.slug, day.event.pk])
        assert day.client("member").get(url).status_code == 404
    schedule = reverse("meetings:schedule", args=[day.territory.slug, day.event.pk])
    assert day.client("member").post(schedule).status_code == 404
