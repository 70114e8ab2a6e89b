"""Every page and every API operation, as every role: no private marker of an actor ever
reaches someone outside it.

The URLs come from the URL resolver and the operations from the served OpenAPI schema,
so a page or an endpoint added later is walked without editing this test.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponseBase
from django.test import Client

from symbiose.web.accounts.models import Membership
from symbiose.web.accounts.services import invitation_token
from symbiose.web.campaigns.models import Campaign, Invitation, SendingRun
from symbiose.web.campaigns.services import campaign_open
from symbiose.web.ledger import services as ledger_services
from symbiose.web.ledger.models import LedgerEntry, ReportRun
from symbiose.web.ledger.report.runs import report_start
from symbiose.web.lending.models import Booking, Offer
from symbiose.web.meetings.models import Meeting, MeetingEvent, MeetingRequest, Participant
from symbiose.web.region.models import CrossProposal, PracticeSheet, Region
from symbiose.web.synergies.models import DetectionRun, Proposal
from symbiose.web.territory.models import Resource
from symbiose.web.workshops import services as workshop_services
from symbiose.web.workshops.models import Pair, Workshop
from tests.web.accounts.seed import (
    Seeded,
    forbidden_markers,
    lending_seed,
    meetings_seed,
    region_seed,
    seed_marked,
)
from tests.web.routes import every_url, expand

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "observer", "member", "facilitator", "facilitator2", "admin",
         "regional", "regional_observer"]
def _values(name: str, route: str, *, seeded: Seeded) -> list[str]:
    """Every value worth trying for one URL parameter."""
    if name == "slug":
        return [seeded.t1.slug, seeded.t2.slug]
    if name == "actor_id":
        return list(seeded.actors)
    if name == "object_id":
        admin_model = re.match(r"\^?admin/(\w+)/(\w+)/", route)
        try:
            model = apps.get_model(admin_model.group(1), admin_model.group(2))  # type: ignore[union-attr]
        except (AttributeError, LookupError):
            # The admin's "view on site" shortcut, r/<content type>/<object>/.
            return [str(pk) for pk in Resource.objects.values_list("pk", flat=True)]
        return [str(pk) for pk in model._default_manager.values_list("pk", flat=True)]
    if name == "app_label":
        return [config.label for config in apps.get_app_configs()]
    if name == "content_type_id":
        return [str(ContentType.objects.get_for_model(Resource).pk)]
    if name == "pk" and "/lines/" in route:
        return [str(pk) for pk in Resource.objects.values_list("pk", flat=True)]
    if name == "pk":
        return [str(pk) for pk in Membership.objects.values_list("pk", flat=True)]
    if name == "token" and route.startswith(("w/", "c/")):
        # A participant's or a campaign's link is that company's key (its own drafts and
        # private lines included): tests/web/workshops and tests/web/campaigns check what
        # it shows and to whom; here, a wrong key.
        return ["not-a-token"]
    if name == "token":
        return [invitation_token(user=seeded.users["member"]), "not-a-token"]
    if name == "campaign_id":
        return [str(pk) for pk in Campaign.objects.values_list("pk", flat=True)]
    if name == "invitation_id":
        return [str(pk) for pk in Invitation.objects.values_list("pk", flat=True)]
    if name == "workshop_id":
        return [str(pk) for pk in Workshop.objects.values_list("pk", flat=True)]
    if name == "pair_id":
        return [str(pk) for pk in Pair.objects.values_list("pk", flat=True)]
    if name == "resource_id":
        return [str(pk) for pk in Resource.objects.values_list("pk", flat=True)]
    if name == "region_slug":
        return [str(slug) for slug in Region.objects.values_list("slug", flat=True)]
    if name == "sheet_id":
        return [str(pk) for pk in PracticeSheet.objects.values_list("pk", flat=True)]
    if name == "crossing_id":
        return [str(pk) for pk in CrossProposal.objects.values_list("pk", flat=True)]
    if name == "year":
        return ["2026"]
    if name == "proposal_id":
        return [str(pk) for pk in Proposal.objects.values_list("pk", flat=True)]
    if name == "run_id" and "/ledger/" in route:
        return [str(pk) for pk in ReportRun.objects.values_list("pk", flat=True)]
    if name == "run_id" and "/sending/" in route:
        return [str(pk) for pk in SendingRun.objects.values_list("pk", flat=True)]
    if name == "run_id":
        return [str(pk) for pk in DetectionRun.objects.values_list("pk", flat=True)]
    if name == "event_id":
        return [str(pk) for pk in MeetingEvent.objects.values_list("pk", flat=True)]
    if name == "request_id":
        return [str(pk) for pk in MeetingRequest.objects.values_list("pk", flat=True)]
    if name == "meeting_id":
        return [str(pk) for pk in Meeting.objects.values_list("pk", flat=True)]
    if name == "offer_id":
        return [str(pk) for pk in Offer.objects.values_list("pk", flat=True)]
    if name == "booking_id":
        return [str(pk) for pk in Booking.objects.values_list("pk", flat=True)]
    if name == "entry_id":
        return [str(pk) for pk in LedgerEntry.objects.values_list("pk", flat=True)]
    if name == "participant_id":  # an actor's key, as the meeting pages name it
        return [str(pk) for pk in Participant.objects.values_list("actor_id", flat=True)]
    return ["x"]


def _body(response: HttpResponseBase) -> str:
    raw = (b"".join(response.streaming_content)  # type: ignore[attr-defined]
           if response.streaming else response.content)
    if raw[:2] == b"PK":  # an .xlsx export: read the XML inside, not the compressed bytes
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            return "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    return raw.decode("utf-8", "replace")


def _client(role: str, seeded: Seeded) -> Client:
    client = Client(raise_request_exception=True)
    if role != "anonymous":
        client.force_login(seeded.users[role])
    return client


def _check(role: str, url: str, response: HttpResponseBase, forbidden: list[str],
           leaks: list[str]) -> bool:
    """Record any leak; True when the response carried a private marker the role may
    read (the control that the walk reaches pages with data)."""
    assert response.status_code < 500, (role, url, response.status_code)
    body = _body(response)
    leaks.extend(f"{role} {url}: {m}" for m in forbidden if m in body)
    return "PRIVMARK" in body


@pytest.fixture
def seeded(settings: Any, tmp_path: Path) -> Seeded:
    seeded = seed_marked()
    # A finished detection run in each territory, so its progress page is walked too.
    for territory in (seeded.t1, seeded.t2):
        DetectionRun.objects.create(territory=territory, status=DetectionRun.Status.DONE)
    # A workshop of alpha and bravo whose cards the facilitator confirmed: those made
    # from private lines stay drafts (only their company may show them), so the room
    # must show no marker.
    workshop = workshop_services.workshop_create(
        territory=seeded.t1, data={"title": "Atelier", "date": datetime.date(2026, 5, 4)},
        by=None)
    for participant in workshop_services.participants_invite(
            workshop=workshop, actors=[seeded.actors["alpha"], seeded.actors["bravo"]],
            table=None, by=None):
        workshop_services.cards_decide(
            participant=participant, confirm=participant.cards.values_list("pk", flat=True),
            withdraw=[], as_company=False, by=None)
    meetings_seed(seeded)
    lending_seed(seeded)
    # A kept synergy of alpha and bravo with a declared figure: the ledger's pages, its
    # report and its spreadsheets are walked with data in them.
    kept = Proposal.objects.filter(territory=seeded.t1).order_by("pk").first()
    assert kept is not None
    kept.decision = Proposal.Decision.KEPT
    kept.save()
    ledger_services.entry_declare(synergy=kept, year=2026, metric="tonnes", value=12,
                                  unit="t", declared_by=seeded.actors["alpha"], by=None)
    # Its report built from the page (a job, run inline here): its progress and its file.
    settings.SYMBIOSE_JOBS_INLINE = True
    settings.SYMBIOSE_REPORTS_DIR = str(tmp_path / "reports")
    report_start(territory=seeded.t1, year=2026, fmt="xlsx", language="fr", by=None)
    region_seed(seeded)
    # A campaign in each territory on its first two actors, so its pages are walked.
    for territory in (seeded.t1, seeded.t2):
        campaign_open(territory=territory, data={"year": 2026, "title": "Bilans"},
                      actors=list(territory.actors.order_by("pk")[:2]),
                      site_url="http://testserver/", by=None)
        SendingRun.objects.create(campaign=territory.campaigns.get(), status="done")
    return seeded


def test_every_page_as_every_role(seeded: Seeded) -> None:
    urls = every_url(partial(_values, seeded=seeded))
    assert any("/members/" in u for u in urls) and any(u.startswith("/admin/") for u in urls)
    assert any("/meetings/" in u and u.endswith("agenda.ics") for u in urls)
    assert any("/lending/bookings/" in u for u in urls)
    assert any("/campaigns/" in u and "/invitations/" in u for u in urls)
    assert any("/ledger/report/" in u and u.endswith("/file") for u in urls)
    assert any("/sending/" in u for u in urls)
    assert any("/ledger/entries/" in u for u in urls) and any(
        u.endswith("/ledger/report.ods") for u in urls)
    assert any(u.startswith("/r/region/library/") for u in urls)
    leaks: list[str] = []
    readable: dict[str, int] = dict.fromkeys(ROLES, 0)
    for role in ROLES:
        client, forbidden = _client(role, seeded), forbidden_markers(seeded, role)
        for url in urls:
            if url.startswith("/api/"):
                continue  # walked operation by operation below, with each method
            readable[role] += _check(role, url, client.get(url, follow=False), forbidden,
                                     leaks)
    assert leaks == []
    # Those allowed to read private lines did find them: the walk reached real data.
    assert min(readable["member"], readable["facilitator"], readable["admin"]) > 0, readable


def _operations(schema: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for route, methods in schema["paths"].items():
        for method in methods:
            yield method, route


def test_every_api_operation_as_every_role(seeded: Seeded) -> None:
    schema = Client().get("/api/openapi.json").json()
    operations = list(_operations(schema))
    assert len(operations) >= 10
    leaks: list[str] = []
    readable: dict[str, int] = dict.fromkeys(ROLES, 0)
    for role in ROLES:
        forbidden = forbidden_markers(seeded, role)
        headers = ({} if role == "anonymous"
                   else {"Authorization": f"Bearer {seeded.tokens[role]}"})
        client = Client(raise_request_exception=True, headers=headers)
        for method, route in operations:
            braces = re.sub(r"\{(\w+)\}", r"<\1>", route)
            for url in expand(braces, partial(_values, seeded=seeded)):
                query = {"actor_id": "alpha", "page_size": 500}
                if method == "get":
                    response = client.get(url, query)
                elif method == "patch":
                    response = client.patch(url, "{}", content_type="application/json")
                else:
                    response = client.generic(method.upper(), url + "?actor_id=alpha")
                readable[role] += _check(role, f"{method} {url}", response, forbidden, leaks)
    assert leaks == []
    assert min(readable["member"], readable["facilitator"], readable["admin"]) > 0, readable


def test_member_still_reads_its_own_private_lines(seeded: Seeded) -> None:
    """The matrix must not pass by showing nothing: the owner sees its markers."""
    client = _client("member", seeded)
    page = _body(client.get("/t/un/actors/alpha/"))
    assert all(marker in page for marker in seeded.private_markers["alpha"][:1])
    other = _body(client.get("/t/un/actors/bravo/"))
    assert "Public pallets of bravo" in other and "PRIVMARKBRAVO" not in other
    overview = _body(client.get("/t/un/"))
    assert "Anonymous need of bravo" in overview
