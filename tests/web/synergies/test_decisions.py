"""Decisions on proposals: keep, drop with a reason, duplicate of another, back to review."""

from __future__ import annotations

import pytest
from django.urls import reverse

from symbiose.web.audit.models import AuditEvent
from symbiose.web.synergies.models import Proposal
from tests.web.synergies.place import MakeProposal, Place

pytestmark = pytest.mark.django_db


def _decide(place: Place, proposal: Proposal, htmx: bool = True, **data: str) -> str:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = place.client("facilitator").post(
        reverse("synergies:decide", args=[place.territory.slug, proposal.pk]), data,
        **headers)  # type: ignore[arg-type]
    assert response.status_code in (200, 302, 400)
    return response.content.decode()


def test_keep_enters_the_programme_as_an_idea(place: Place,
                                              make_proposal: MakeProposal) -> None:
    p = make_proposal(stage="operational")
    body = _decide(place, p, decision="kept")
    p.refresh_from_db()
    assert (p.decision, p.stage) == ("kept", "idea")
    assert p.decided_by == place.users["facilitator"] and p.decided_at
    assert body.lstrip().startswith(f'<article class="card proposal decision-kept" '
                                    f'id="proposal-{p.pk}"')
    assert AuditEvent.objects.filter(detail__contains=f"proposal {p.pk}").exists()


def test_drop_without_reason_refused_with_message(place: Place,
                                                  make_proposal: MakeProposal) -> None:
    p = make_proposal()
    body = _decide(place, p, decision="dropped", note="bof")
    p.refresh_from_db()
    assert p.decision == "pending"
    assert "errorlist" in body and "<details class=\"drop\" open>" in body
    _decide(place, p, decision="dropped", drop_reason="not_mature", note="plus tard")
    p.refresh_from_db()
    assert (p.decision, p.drop_reason, p.decision_note) == ("dropped", "not_mature",
                                                            "plus tard")


def test_duplicate_needs_a_target(place: Place, make_proposal: MakeProposal) -> None:
    first, second = make_proposal(), make_proposal(resource="Lactosérum bis")
    body = _decide(place, second, decision="duplicate")
    second.refresh_from_db()
    assert second.decision == "pending" and "errorlist" in body
    _decide(place, second, decision="duplicate", duplicate_of=str(second.pk))
    second.refresh_from_db()
    assert second.decision == "pending"  # not a duplicate of itself
    _decide(place, second, decision="duplicate", duplicate_of=str(first.pk))
    second.refresh_from_db()
    assert (second.decision, second.duplicate_of_id) == ("duplicate", first.pk)


def test_detail_offers_duplicate_candidates(place: Place, make_proposal: MakeProposal) -> None:
    first, second = make_proposal(), make_proposal(resource="Autre")
    body = place.client("facilitator").get(
        reverse("synergies:proposal", args=[place.territory.slug, second.pk])).content.decode()
    assert f'<option value="{first.pk}">' in body


def test_back_to_review_and_without_javascript(place: Place,
                                               make_proposal: MakeProposal) -> None:
    p = make_proposal(decision="dropped", drop_reason="other")
    catalogue = reverse("synergies:catalogue", args=[place.territory.slug]) + "?decision=all"
    response = place.client("facilitator").post(
        reverse("synergies:decide", args=[place.territory.slug, p.pk]),
        {"decision": "pending", "next": catalogue})
    assert response.status_code == 302 and response["Location"] == catalogue
    p.refresh_from_db()
    assert (p.decision, p.drop_reason, p.decided_at) == ("pending", "", None)
    # A refused decision without JavaScript shows the detail page with the message.
    body = _decide(place, p, htmx=False, decision="dropped")
    assert "errorlist" in body and "<html" in body


def test_members_cannot_decide(place: Place, make_proposal: MakeProposal) -> None:
    p = make_proposal()
    response = place.client("member").post(
        reverse("synergies:decide", args=[place.territory.slug, p.pk]), {"decision": "kept"})
    assert response.status_code == 404
    p.refresh_from_db()
    assert p.decision == "pending"


@pytest.mark.parametrize("htmx", [True, False])
def test_a_note_too_long_or_no_decision_is_said_beside_the_form(
        place: Place, make_proposal: MakeProposal, htmx: bool) -> None:
    p = make_proposal()
    body = _decide(place, p, htmx=htmx, decision="dropped", drop_reason="other",
                   note="x" * 3000)
    assert "2000" in body and "errorlist" in body
    body = _decide(place, p, htmx=htmx, decision="maybe")
    assert "errorlist" in body and "maybe" in body
    p.refresh_from_db()
    assert p.decision == "pending"


def test_two_proposals_cannot_be_each_other_s_duplicate(place: Place,
                                                       make_proposal: MakeProposal) -> None:
    first, second = make_proposal(resource="a"), make_proposal(resource="b")
    _decide(place, first, decision="duplicate", duplicate_of=str(second.pk))
    body = _decide(place, second, decision="duplicate", duplicate_of=str(first.pk))
    second.refresh_from_db()
    assert second.decision == "pending"
    assert f"n°{first.pk} est elle-même marquée comme doublon" in body
