"""The HTTP API: token authentication, pagination, the same visibility as the pages,
audited edits and bundle upload."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from symbiose.web.audit.models import AuditEvent
from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.services import introduction_agree
from symbiose.web.territory.models import Resource
from tests.web.accounts.seed import Seeded, seed_marked
from tests.web.bundles import ACTORS, RESOURCES

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> Seeded:
    return seed_marked()


def api(seeded: Seeded, role: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {seeded.tokens[role]}"})


def get(client: Client, url: str, **query: Any) -> Any:
    response = client.get(f"/api{url}", query)
    assert response.status_code == 200, response.content
    return response.json()


def test_schema_is_served_and_the_api_needs_a_token(seeded: Seeded) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert "/api/territories/{slug}/resources" in schema["paths"]
    assert Client().get("/api/territories").status_code == 401
    bad = Client(headers={"Authorization": "Bearer sym_nope"})
    assert bad.get("/api/territories").status_code == 401
    docs = Client().get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


def test_each_role_lists_its_own_territories(seeded: Seeded) -> None:
    assert [t["slug"] for t in get(api(seeded, "member"), "/territories")["items"]] == ["un"]
    assert len(get(api(seeded, "admin"), "/territories")["items"]) == 2
    assert api(seeded, "member").get("/api/territories/deux").status_code == 404


def test_pagination(seeded: Seeded) -> None:
    first = get(api(seeded, "facilitator"), "/territories/un/resources", page_size=5)
    second = get(api(seeded, "facilitator"), "/territories/un/resources", page_size=5, page=3)
    assert first["count"] == 12 and len(first["items"]) == 5 and len(second["items"]) == 2


def test_member_sees_own_lines_public_lines_and_anonymised_ones(seeded: Seeded) -> None:
    member = api(seeded, "member")
    lines = get(member, "/territories/un/resources", page_size=500)["items"]
    mine = [line for line in lines if line["actor_id"] == "alpha"]
    others = [line for line in lines if line["actor_id"] != "alpha"]
    assert len(mine) == 3 and {line["confidentiality"] for line in others} == {"public"}
    anonymous = get(member, "/territories/un/resources/anonymous")["items"]
    assert len(anonymous) == 3
    # Each of the others is the only actor of its sector here: saying the sector or a
    # distance would name it from the directory.
    assert all("actor" not in row and row["sector"] == "" and row["within_km"] is None
               for row in anonymous)
    assert {(row["quantity_low"], row["quantity_high"]) for row in anonymous} == {
        ("1000", "2000")}
    assert get(member, "/territories/un")["actor_count"] == 4
    assert member.get("/api/territories/un/actors/bravo/audit").status_code == 404


def test_observer_gets_aggregates_only(seeded: Seeded) -> None:
    observer = api(seeded, "observer")
    summary = get(observer, "/territories/un")
    assert summary["role"] == "observer" and summary["actor_count"] == 4
    for url in ("/territories/un/actors", "/territories/un/resources",
                "/territories/un/proposals", "/territories/un/actors/alpha/resources"):
        assert observer.get(f"/api{url}").status_code == 404


def test_edits_of_own_lines_only_and_audited(seeded: Seeded) -> None:
    member = api(seeded, "member")
    own = Resource.objects.get(external_id="alpha-out-private")
    other = Resource.objects.get(external_id="bravo-out-public")
    response = member.patch(f"/api/territories/un/resources/{own.pk}",
                            {"quantity": "980", "confidentiality": "anonymous"},
                            content_type="application/json")
    assert response.status_code == 200 and Decimal(response.json()["quantity"]) == 980
    event = AuditEvent.objects.get(actor=own.actor, action="change")
    assert event.username == "member" and "quantity" in event.detail
    assert member.patch(f"/api/territories/un/resources/{other.pk}", {"quantity": "1"},
                        content_type="application/json").status_code == 404


def test_proposal_names_the_other_side_only_when_agreed(seeded: Seeded) -> None:
    member = api(seeded, "member")
    proposals = get(member, "/territories/un/proposals")["items"]
    assert len(proposals) == 2  # the two involving alpha, not bravo→delta
    to_bravo = next(p for p in proposals if p["sides"][0]["actor_id"] == "alpha")
    hidden = to_bravo["sides"][1]
    assert hidden["actor_id"] is None and "Actor bravo" not in str(to_bravo)
    assert to_bravo["quantity_low"] == "1000" and to_bravo["explanation"] == ""
    introduction_agree(proposal=Proposal.objects.get(pk=to_bravo["id"]),
                       actor=seeded.actors["bravo"], by=seeded.users["facilitator"])
    again = get(member, "/territories/un/proposals")["items"]
    named = next(p for p in again if p["id"] == to_bravo["id"])
    assert named["sides"][1] == {"actor_id": "bravo", "name": "Actor bravo"}


def _zip_bundle() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("actors.csv", ACTORS)
        archive.writestr("resources.csv", RESOURCES)
    return buffer.getvalue()


def test_bundle_upload_by_a_facilitator(seeded: Seeded) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("b.zip", _zip_bundle(), content_type="application/zip")
    response = api(seeded, "facilitator").post("/api/territories/un/bundle",
                                               {"bundle": upload})
    assert response.status_code == 200, response.content
    assert response.json()["applied"] is True
    assert seeded.t1.actors.filter(external_id="a1").exists()
    assert AuditEvent.objects.filter(action="import", actor__external_id="a1").exists()
    upload = SimpleUploadedFile("b.zip", _zip_bundle(), content_type="application/zip")
    assert api(seeded, "member").post("/api/territories/un/bundle",
                                      {"bundle": upload}).status_code == 404


def test_session_writes_need_the_csrf_token(seeded: Seeded) -> None:
    """A browser session may use the API, but a write without the CSRF token is refused:
    another site cannot make a logged-in facilitator's browser change data."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(seeded.users["facilitator"])
    line = Resource.objects.get(external_id="bravo-out-public")
    assert client.get("/api/territories/un").status_code == 200
    response = client.patch(f"/api/territories/un/resources/{line.pk}", {"quantity": "1"},
                            content_type="application/json")
    assert response.status_code in (401, 403)
    assert Resource.objects.get(pk=line.pk).quantity == Decimal("1234.5")


def test_facilitator_moves_a_proposal_through_the_stages(seeded: Seeded) -> None:
    facilitator = api(seeded, "facilitator")
    proposal = get(facilitator, "/territories/un/proposals")["items"][0]
    assert proposal["stage"] == "idea"
    url = f"/api/territories/un/proposals/{proposal['id']}/stage"

    moved = facilitator.put(url, {"stage": "study"}, content_type="application/json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"] == "study"
    assert Proposal.objects.get(pk=proposal["id"]).stage_changed_at is not None
    assert AuditEvent.objects.filter(detail__contains="stage idea → study").exists()

    silent = facilitator.put(url, {"stage": "abandoned"}, content_type="application/json")
    assert silent.status_code == 422  # abandoning needs a reason
    assert Proposal.objects.get(pk=proposal["id"]).stage == "study"
    unknown = facilitator.put(url, {"stage": "done"}, content_type="application/json")
    assert unknown.status_code == 422 and "idea" in unknown.json()["detail"]

    dropped = facilitator.put(url, {"stage": "abandoned", "reason": "pas de valeur ajoutée"},
                              content_type="application/json")
    assert dropped.json()["stage_reason"] == "pas de valeur ajoutée"


def test_members_read_stages_but_cannot_change_them(seeded: Seeded) -> None:
    member = api(seeded, "member")
    proposal = get(member, "/territories/un/proposals")["items"][0]
    assert proposal["stage"] == "idea"
    refused = member.put(f"/api/territories/un/proposals/{proposal['id']}/stage",
                         {"stage": "study"}, content_type="application/json")
    assert refused.status_code == 404
    assert Proposal.objects.get(pk=proposal["id"]).stage == "idea"
