"""Hostile text in every field, every page walked in a real Chromium as every role.

Companies send spreadsheets and the facilitator uploads them: whatever a stranger writes in
a cell (an actor's name, a label, a zone, a note, a column header, a file name inside a
zip) must reach every page as text, never as markup or script. Each planted value carries
an element with the class `xssprobe`, an `alert()` and a `</script>`; a page fails when a
dialog opens, when any `.xssprobe` element exists in its DOM, or when the browser reports
a Content-Security-Policy violation (which would be our own inline script or style, or an
injection the policy had to stop).
"""

from __future__ import annotations

import datetime
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.demo import facilitator_group_ensure
from symbiose.web.ledger import services as ledger_services
from symbiose.web.lending import services as lending_services
from symbiose.web.meetings import scheduling
from symbiose.web.meetings import services as meeting_services
from symbiose.web.meetings.models import Meeting
from symbiose.web.region import services as region_services
from symbiose.web.region.models import CrossingRun, CrossProposal
from symbiose.web.synergies import detection
from symbiose.web.synergies.models import DetectionRun, Proposal
from symbiose.web.synergies.services import (
    introduction_agree,
    proposal_create_manual,
    proposal_decide,
    proposal_programme_set,
    proposal_stage_set,
)
from symbiose.web.territory.models import Actor, Resource, Territory
from symbiose.web.transfer import services as transfer_services
from symbiose.web.transfer.importing import bundle_import
from symbiose.web.transfer.models import BundleUpload
from tests.web.routes import every_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The admin's change pages walked for these apps' models, whose rows hold planted text.
HOSTILE_APPS = {"territory", "synergies", "accounts", "transfer", "auth", "region"}
ROLES = ("facilitator", "member", "observer", "admin", "anonymous")
WAIT_MS = 30_000


def hostile(n: int) -> str:
    """A value that is visible markup, an event-handler script and a script-block breaker
    at once; `n` tells which planted field reached the page."""
    return (f"H{n}</script><img src=x onerror=alert({n}) class=xssprobe>\"'"
            f"<svg class=xssprobe onload=alert({n})>")


def hostile_id(n: int) -> str:
    """An identifier that travels in URLs (no slash) but is markup all the same."""
    return f"h{n}<img src=x onerror=alert({n}) class=xssprobe>\"'"


@dataclass
class Hostile:
    territory: Territory
    users: dict[str, User]
    actor_ids: list[str]
    proposal_ids: list[int]
    line_ids: list[int]
    run_ids: list[int]
    upload_ids: list[str]
    meeting_values: dict[str, list[str]] = field(default_factory=dict)
    region_values: dict[str, list[str]] = field(default_factory=dict)


def _csv(rows: list[list[str]]) -> str:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _bundle(folder: Path) -> Path:
    """Two companies that exchange pallets and whey, each name, place and line hostile."""
    folder.mkdir()
    a, b, c = hostile_id(1), hostile_id(2), "plain"
    (folder / "actors.csv").write_text(_csv([
        ["id", "name", "naf", "kind", "lat", "lon", "commune", "zone", "address"],
        [a, "Fromagerie " + hostile(3), "10.51A", "company", "48.84", "-0.88",
         "Vire " + hostile(4), "Parc " + hostile(5), "1 rue " + hostile(6)],
        [b, "Ferme " + hostile(7), "01.46Z", "farm", "48.85", "-0.87",
         "Vire " + hostile(4), "Parc " + hostile(5), ""],
        [c, "Menuiserie " + hostile(8), "16.23Z", "company", "48.86", "-0.86",
         "Vire " + hostile(4), "", ""],
    ]), encoding="utf-8")
    (folder / "resources.csv").write_text(_csv([
        ["actor_id", "direction", "label", "kind", "quantity", "unit", "confidentiality",
         "notes", "year"],
        [a, "out", "Lactosérum " + hostile(9), "material", "300", "t", "public",
         "note " + hostile(10), "2026"],
        [b, "in", "Lactosérum pour alimentation des porcs " + hostile(11), "material", "250",
         "t", "public", "", "2026"],
        [c, "out", "Palettes bois " + hostile(12), "material", "20", "t", "public", "",
         "2026"],
        [a, "in", "Palettes bois " + hostile(13), "material", "15", "t", "anonymous", "",
         "2026"],
        [b, "out", "Fumier " + hostile(14), "material", "80", "t", "private",
         hostile(15), "2026"],
        [c, "in", "Sciure " + hostile(16), "material", "5", "t", "anonymous", "", "2026"],
    ]), encoding="utf-8")
    return folder


def _refused_zip() -> bytes:
    """An upload whose preview lists problems: a hostile header, value and file name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("actors.csv", _csv([
            ["id", "name", "naf", hostile(20)],
            ["x1", "X " + hostile(21), "99.99" + hostile(22), "v"],
        ]))
        archive.writestr("resources.csv", _csv([
            ["actor_id", "direction", "label", "quantity"],
            ["x1", hostile(23), "Label " + hostile(24), "-3" + hostile(25)],
        ]))
        archive.writestr(f"notes {hostile_id(26)}.csv", "a,b\n1,2\n")
    return buffer.getvalue()


def seed_hostile(tmp_path: Path) -> Hostile:
    name = "Territoire " + hostile(30)
    outcome = bundle_import(territory_name=name, path=_bundle(tmp_path / "b"),
                                      default_year=2026)
    assert outcome.applied, outcome.check.problems
    territory = Territory.objects.get(name=name)
    territory.description = hostile(31)
    territory.save()

    group = facilitator_group_ensure()
    users: dict[str, User] = {}
    first = Actor.objects.get(territory=territory, external_id=hostile_id(1))
    for role in ("facilitator", "member", "observer"):
        user = User.objects.create_user(f"{role}-h", password="Hostile-pw-1234",
                                        first_name=hostile(32), last_name=hostile(33),
                                        email=f"{role}@example.org",
                                        is_staff=role == "facilitator")
        if role == "facilitator":
            user.groups.add(group)
        membership_set(user=user, territory=territory, role=Role(role),
                       actors=[first] if role == "member" else [])
        users[role] = user
    users["admin"] = User.objects.create_superuser("root-h", password="Hostile-pw-1234")

    by = users["facilitator"]
    run = detection.detection_start(territory=territory, radius_km=Decimal(50), by=by)
    assert run.status == DetectionRun.Status.DONE, run.error
    proposals = list(Proposal.objects.filter(territory=territory))
    assert proposals, "the engine proposed nothing between the hostile actors"
    actors = {a.external_id: a for a in Actor.objects.filter(territory=territory)}
    manual = proposal_create_manual(
        territory=territory, type="pooling", supplier=None, receiver=None,
        members=list(actors.values()), resource="Collecte " + hostile(40), quantity=None,
        unit="", explanation=hostile(41), by=by)
    proposals.append(manual)
    for index, proposal in enumerate(proposals):
        proposal_decide(proposal=proposal, decision="kept", note=hostile(42), by=by)
        proposal.refresh_from_db()
        proposal_programme_set(
            proposal=proposal, owner=hostile(43), partners=hostile(44),
            next_step=hostile(45), next_step_date=None,
            seen=proposal.updated_at.isoformat(), by=by)
        if index == 0:
            proposal_stage_set(proposal=proposal, stage="abandoned", reason=hostile(46),
                               by=by)
        for actor in actors.values():
            introduction_agree(proposal=proposal, actor=actor, by=by)

    upload = transfer_services.upload_receive(
        territory=territory, year=2026, by=by,
        files=[("refused.zip", SimpleUploadedFile("refused.zip", _refused_zip()))])
    assert BundleUpload.objects.filter(pk=upload.pk).exists()
    meeting_values = {**_meetings_hostile(territory, list(actors.values()), proposals[0], by),
                      **_lending_hostile(list(actors.values()), by)}
    region_values = _region_hostile(territory, list(actors.values()), proposals[1], by)
    return Hostile(
        territory=territory, users=users, actor_ids=list(actors),
        proposal_ids=[p.pk for p in proposals],
        line_ids=list(Resource.objects.filter(actor__territory=territory)
                      .values_list("pk", flat=True)),
        run_ids=[run.pk], upload_ids=[str(upload.pk)], meeting_values=meeting_values,
        region_values=region_values,
    )


def _meetings_hostile(territory: Territory, actors: list[Actor], proposal: Proposal,
                      by: User) -> dict[str, list[str]]:
    """A published meeting day whose title, place and outcome note are markup, scheduled
    by the real scheduler, so that every meeting page is walked with hostile names."""
    event = meeting_services.event_create(territory=territory, by=by, data={
        "title": "Rencontres " + hostile(50), "place": hostile(51),
        "date": timezone.localdate(), "start_time": datetime.time(9), "slots": 4,
        "tables": 2, "slot_minutes": 20,
        "request_deadline": timezone.now() + datetime.timedelta(days=1)})
    for actor in actors:
        meeting_services.participant_add(event=event, actor=actor, by=by)
    requests = []
    for a, b in itertools.pairwise(actors):
        ends = {proposal.supplier_id, proposal.receiver_id}
        request = meeting_services.request_create(
            event=event, requester=a, requested=b, by=by,
            proposal=proposal if ends == {a.pk, b.pk} else None)
        requests.append(meeting_services.request_answer(request=request, accept=True, by=by))
    scheduling.event_schedule(event=event, by=by)
    scheduling.event_publish(event=event, state="preliminary", by=by)
    meetings = list(Meeting.objects.filter(event=event))
    meeting_services.meeting_outcome_set(meeting=meetings[0], outcome="follow_up",
                                         note=hostile(52), by=by)
    return {"event_id": [str(event.pk)], "request_id": [str(r.pk) for r in requests],
            "meeting_id": [str(m.pk) for m in meetings],
            "participant_id": [str(a.pk) for a in actors]}


def _lending_hostile(actors: list[Actor], by: User) -> dict[str, list[str]]:
    """An offer whose title, text and place are markup, made of a line whose label is,
    and a booking of it with a message and condition notes that are markup too."""
    lender, borrower = actors[0], actors[1]
    line = Resource.objects.create(actor=lender, external_id="lend-" + str(lender.pk),
                                   year=2026, direction="out", kind="equipment",
                                   label="Nacelle " + hostile(60))
    offer = lending_services.offer_create(resource=line, by=by, data={
        "title": "Nacelle " + hostile(61), "description": hostile(62),
        "location": hostile(63), "pricing": "day", "price_eur": 10})
    start = timezone.now() + datetime.timedelta(days=1)
    booking = lending_services.booking_request(
        offer=offer, borrower=borrower, start=start, end=start + datetime.timedelta(days=1),
        message=hostile(64), by=by)
    lending_services.booking_answer(booking=booking, accept=True, note=hostile(65), by=by)
    lending_services.booking_check_out(booking=booking, note=hostile(66), by=by)
    return {"offer_id": [str(offer.pk)], "booking_id": [str(booking.pk)]}


def _region_hostile(territory: Territory, actors: list[Actor], proposal: Proposal,
                    by: User) -> dict[str, list[str]]:
    """A region whose name and description are markup, with a neighbour territory and its
    company named so too; a published practice sheet every text of which is markup, on an
    operational synergy with ledger figures; a cross-territory proposal whose resource and
    explanation are, both sides agreed to be named; a finished search for them."""
    region = region_services.region_create(name="Région " + hostile(70), slug="region-h",
                                           description=hostile(71))
    neighbour = Territory.objects.create(name="Voisin " + hostile(72), slug="voisin-h")
    taker = Actor.objects.create(territory=neighbour, external_id="taker",
                                 name="Serres " + hostile(73), naf_code="01.13Z",
                                 latitude=Decimal("48.9"), longitude=Decimal("-0.8"))
    for member in (territory, neighbour):
        region_services.region_territory_add(region=region, territory=member, by=by)
    region_services.region_membership_set(user=by, region=region, role="facilitator")
    for stage in ("study", "implementation", "operational"):
        proposal_stage_set(proposal=proposal, stage=stage, by=by)
    proposal.refresh_from_db()
    members = list(Actor.objects.filter(proposals=proposal))
    for year in (2025, 2026):
        ledger_services.entry_declare(synergy=proposal, year=year, metric="tonnes",
                                      value=Decimal(12), unit="t", declared_by=members[0],
                                      note=hostile(74), by=by)
    sheet = region_services.sheet_save(
        proposal=proposal, publish=True, by=by, named_actor_ids=[a.pk for a in members],
        data={"title": "Fiche " + hostile(75), "exchanged": hostile(76),
              "method": hostile(77), "figures_note": hostile(78), "obstacles": hostile(79),
              "contacts": hostile(80)})
    crossing = CrossProposal.objects.create(
        region=region, supplier=actors[0], receiver=taker, resource="Chaleur " + hostile(81),
        explanation=hostile(82), score=Decimal("0.5"), unit="MWh",
        supplier_agreed_at=timezone.now(), receiver_agreed_at=timezone.now())
    run = CrossingRun.objects.create(region=region, status=CrossingRun.Status.DONE)
    return {"region_slug": [region.slug], "sheet_id": [str(sheet.pk)],
            "crossing_id": [str(crossing.pk)], "crossing_run_id": [str(run.pk)]}


def _values(name: str, route: str, *, seeded: Hostile) -> list[str]:
    by_name = {
        "slug": [seeded.territory.slug],
        "actor_id": [quote(ext, safe="") for ext in seeded.actor_ids],
        "year": ["2026"],
        "proposal_id": [str(pk) for pk in seeded.proposal_ids],
        "run_id": [str(pk) for pk in seeded.run_ids],
        "upload_id": seeded.upload_ids,
        "resource_id": [str(pk) for pk in seeded.line_ids],
        **seeded.meeting_values,
        **seeded.region_values,
    }
    if name == "run_id" and "crossings/" in route:
        return seeded.region_values["crossing_run_id"]
    if name == "pk" and "/lines/" in route:
        return [str(pk) for pk in seeded.line_ids]
    if name in by_name:
        return by_name[name]
    admin_model = re.match(r"\^?admin/(\w+)/(\w+)/", route)
    if name == "object_id" and admin_model and admin_model.group(1) in HOSTILE_APPS:
        model = apps.get_model(admin_model.group(1), admin_model.group(2))
        return [quote(str(pk)) for pk in model._default_manager.values_list("pk", flat=True)[:3]]
    return []  # the admin's other generic routes: walked from their list pages


# Collected in the page from its first script on: the browser's own CSP reports.
_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") +
    " " + (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""


def _session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def hostile_site(tmp_path: Path, settings: Any, live_server: Any) -> tuple[Hostile, str]:
    settings.SYMBIOSE_UPLOADS_DIR = str(tmp_path / "uploads")
    settings.SYMBIOSE_JOBS_INLINE = True
    return seed_hostile(tmp_path), live_server.url


def _forbids_inline_script(policy: str) -> bool:
    directives = {part.split()[0]: part.split()[1:]
                  for part in policy.split(";") if part.strip()}
    scripts = directives.get("script-src", directives.get("default-src"))
    return bool(scripts) and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts


def _is_download(url: str) -> bool:
    """Files the browser saves rather than shows (their contents are checked by their
    own tests, e.g. a hostile name in the report's PDF)."""
    return url.endswith((".xlsx", ".ods", ".pdf", ".zip", ".ics"))


def test_hostile_fields_stay_text_on_every_page_for_every_role(
        browser: Any, hostile_site: tuple[Hostile, str]) -> None:
    seeded, base = hostile_site
    urls = [u for u in every_url(partial(_values, seeded=seeded))
            if not _is_download(u) and not u.endswith("/logout/")
            # API answers are JSON, read as text; its docs page is a page.
            and (not u.startswith("/api/") or u == "/api/docs")]
    urls += ["/admin/territory/actor/", "/admin/territory/resource/",
             "/admin/synergies/proposal/", "/admin/auth/user/"]
    # Reflected values: the search and filter boxes echo what the reader typed.
    slug = seeded.territory.slug
    urls += [f"/t/{slug}/actors/?q=%3Cimg%20class%3Dxssprobe%20src%3Dx%3E",
             f"/t/{slug}/proposals/?actor=%3Cimg%20class%3Dxssprobe%3E&q=%22%3E%3Cb%20class%3Dxssprobe%3E"]
    assert any("/proposals/" in u for u in urls) and any("/actors/h1" in u for u in urls)
    problems: list[str] = []
    dialogs: list[str] = []
    pages = 0
    for role in ROLES:
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      locale="fr-FR")
        # No request leaves the machine (map tiles): the walk is about this site only.
        context.route("**/*", lambda route: route.continue_()
                      if route.request.url.startswith(base) else route.abort())
        context.add_init_script(_WATCH)
        if role != "anonymous":
            context.add_cookies([{"name": "sessionid", "url": base,
                                  "value": _session_cookie(seeded.users[role])}])
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for url in urls:
            probe = context.request.get(base + url)
            if not probe.body():
                continue  # an empty answer (405 to a GET on a form's target): no page
            response = page.goto(base + url, wait_until="load")
            assert response is not None
            if response.status >= 500:
                problems.append(f"{role} {url}: HTTP {response.status}")
                continue
            pages += 1
            if "text/html" in response.headers.get("content-type", ""):
                if not _forbids_inline_script(
                        response.headers.get("content-security-policy", "")):
                    problems.append(f"{role} {url}: no strict Content-Security-Policy")
                if page.locator("#map, #proposal-map, #sankey").count():
                    page.wait_for_load_state("networkidle", timeout=WAIT_MS)
            found = page.evaluate(
                "() => [document.querySelectorAll('.xssprobe').length, "
                "window.__cspViolations || []]")
            if found[0]:
                problems.append(f"{role} {url}: {found[0]} injected element(s)")
            if found[1]:
                problems.append(f"{role} {url}: CSP violations {found[1]}")
            if dialogs:
                problems.append(f"{role} {url}: dialog {dialogs}")
                dialogs.clear()
        context.close()
    assert problems == []
    assert pages > 5 * 20
