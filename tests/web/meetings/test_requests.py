"""Meeting requests: made, answered, expired, refused beside the field at fault, once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from symbiose.web.meetings import selectors, services
from symbiose.web.meetings.models import MeetingRequest
from symbiose.web.territory.access import viewer_get
from tests.web.meetings.conftest import Day

pytestmark = pytest.mark.django_db


def _refused(day: Day, a: str, b: str, **kwargs: object) -> services.MeetingRefused:
    with pytest.raises(services.MeetingRefused) as refused:
        services.request_create(event=day.event, requester=day.actors.get(a),
                                requested=day.actors.get(b), by=None, **kwargs)  # type: ignore[arg-type]
    return refused.value


def test_request_created_then_accepted(day: Day) -> None:
    request = day.ask("fromagerie", "scierie")
    assert (request.pair_low, request.pair_high) == tuple(sorted(
        (day.actors["fromagerie"].pk, day.actors["scierie"].pk)))
    answered = services.request_answer(request=request, accept=True, by=day.users["member2"])
    assert answered.status == MeetingRequest.Status.ACCEPTED
    assert answered.answered_by_id == day.users["member2"].pk


def test_request_declined(day: Day) -> None:
    request = day.ask("fromagerie", "scierie", accept=False)
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.DECLINED


def test_refusals_name_their_field(day: Day) -> None:
    assert _refused(day, "fromagerie", "fromagerie").field == "requested"
    assert _refused(day, "fromagerie", "absent").field == "requested"
    assert _refused(day, "absent", "fromagerie").field == "requester"
    day.ask("fromagerie", "scierie")
    duplicate = _refused(day, "scierie", "fromagerie")  # (b, a) repeats (a, b)
    assert duplicate.field == "requested" and "déjà" in str(duplicate)
    late = _refused(day, "ferme", "garage",
                    now=day.event.request_deadline + datetime.timedelta(minutes=1))
    assert late.field == "event"
    assert MeetingRequest.objects.count() == 1


def test_proposal_must_join_the_pair(day: Day, proposal_make) -> None:  # type: ignore[no-untyped-def]
    other = proposal_make("ferme", "garage")
    assert _refused(day, "fromagerie", "scierie", proposal=other).field is None
    mine = proposal_make("scierie", "fromagerie")
    assert day.ask("fromagerie", "scierie", proposal=mine).proposal_id == mine.pk


def test_unanswered_request_expires_at_the_deadline(day: Day) -> None:
    request = day.ask("fromagerie", "scierie")
    after = day.event.request_deadline + datetime.timedelta(seconds=1)
    viewer = viewer_get(user=day.users["facilitator"], territory=day.territory)
    # Read as expired before any process writes it…
    [row] = selectors.request_rows(viewer=viewer, event=day.event, now=after)
    assert row.status == MeetingRequest.Status.EXPIRED and not row.can_answer
    with pytest.raises(services.MeetingRefused):
        services.request_answer(request=request, accept=True, by=None, now=after)
    # …and written so by the service, which leaves answered requests alone.
    answered = day.ask("ferme", "garage", accept=True)
    assert services.requests_expire(event=day.event, now=after) == 1
    request.refresh_from_db()
    answered.refresh_from_db()
    assert request.status == MeetingRequest.Status.EXPIRED
    assert answered.status == MeetingRequest.Status.ACCEPTED


def _url(day: Day) -> str:
    return reverse("meetings:request_create", args=[day.territory.slug])


def test_linked_request_page_posts_once(day: Day) -> None:
    """Another page links with ?from=&to=; the form posted twice makes one request."""
    client = day.client("member")
    a, b = day.actors["fromagerie"].pk, day.actors["scierie"].pk
    page = client.get(_url(day), {"from": a, "to": b})
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["requester"] == a and form.initial["requested"] == b
    data = {"event": day.event.pk, "requester": a, "requested": b,
            "submission_token": page.context["token"]}
    first = client.post(_url(day), data)
    second = client.post(_url(day), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert MeetingRequest.objects.filter(event=day.event).count() == 1


def test_page_says_why_beside_the_field(day: Day) -> None:
    client = day.client("member")
    a = day.actors["fromagerie"].pk
    response = client.post(_url(day), {"event": day.event.pk, "requester": a,
                                       "requested": a, "submission_token": "t1"})
    assert response.status_code == 400
    assert response.context["form"].errors["requested"]
    assert 'id="id_requested-errors"' in response.content.decode()
    # A member may not speak for another company.
    other = client.post(_url(day), {"event": day.event.pk,
                                    "requester": day.actors["scierie"].pk,
                                    "requested": day.actors["ferme"].pk,
                                    "submission_token": "t2"})
    assert other.status_code == 400 and "requester" in other.context["form"].errors
    assert not MeetingRequest.objects.exists()


def test_page_refuses_after_the_deadline(day: Day) -> None:
    day.event.request_deadline = timezone.now() - datetime.timedelta(hours=1)
    day.event.save()
    client = day.client("facilitator")
    response = client.post(_url(day), {"event": day.event.pk,
                                       "requester": day.actors["ferme"].pk,
                                       "requested": day.actors["garage"].pk,
                                       "submission_token": "t3"})
    assert response.status_code == 400
    assert 'id="event-errors"' in response.content.decode()
    assert "event" in response.context["form"].errors


def test_requested_side_answers_from_the_event_page(day: Day) -> None:
    request = day.ask("scierie", "fromagerie")
    url = reverse("meetings:request_answer", args=[day.territory.slug, day.event.pk,
                                                   request.pk])
    # The side that asked cannot answer its own request.
    assert day.client("member2").post(url, {"answer": "accept"}).status_code == 404
    assert day.client("member").post(url, {"answer": "accept"}).status_code == 302
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED
