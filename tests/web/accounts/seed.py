"""A territory seeded with a unique marker in every confidential line, and one user per
role, shared by the permission tests of the pages and of the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import api_token_create, membership_set
from symbiose.web.demo import facilitator_group_ensure
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Resource, Territory

PASSWORD = "Marker-test-pw-42"
# (external id, NAF code, latitude, longitude): four actors close together in territory 1.
ACTORS_1 = [("alpha", "10.51A", "47.10", "3.00"), ("bravo", "24.53Z", "47.12", "3.02"),
            ("charlie", "38.21Z", "47.15", "3.05"), ("delta", "01.50Z", "47.20", "3.10")]
ACTORS_2 = [("echo", "10.51A", "45.00", "1.00"), ("foxtrot", "24.53Z", "45.01", "1.01"),
            ("golf", "38.21Z", "45.02", "1.02")]


@dataclass
class Seeded:
    t1: Territory
    t2: Territory
    actors: dict[str, Actor]
    users: dict[str, User]
    tokens: dict[str, str]
    # actor external id -> the markers of its private lines
    private_markers: dict[str, list[str]] = field(default_factory=dict)

    def markers_except(self, allowed: set[str]) -> list[str]:
        return [m for actor, markers in self.private_markers.items() if actor not in allowed
                for m in markers]


def _territory(name: str, slug: str, specs: list[tuple[str, str, str, str]],
               seeded: Seeded) -> Territory:
    territory = Territory.objects.create(name=name, slug=slug)
    for ext, naf, lat, lon in specs:
        actor = Actor.objects.create(territory=territory, external_id=ext, name=f"Actor {ext}",
                                     naf_code=naf, latitude=Decimal(lat),
                                     longitude=Decimal(lon), kind=Actor.Kind.COMPANY)
        seeded.actors[ext] = actor
        marker = f"PRIVMARK{ext.upper()}Q7"
        note_marker = f"PRIVNOTE{ext.upper()}Z3"
        seeded.private_markers[ext] = [marker, note_marker]
        for direction, conf, label, notes in [
            ("out", "private", f"Secret slag {marker}", f"note {note_marker}"),
            ("in", "anonymous", f"Anonymous need of {ext}", ""),
            ("out", "public", f"Public pallets of {ext}", ""),
        ]:
            Resource.objects.create(actor=actor, external_id=f"{ext}-{direction}-{conf}",
                                    year=2026, direction=direction, label=label, notes=notes,
                                    quantity=Decimal("1234.5"), unit="t",
                                    confidentiality=conf, kind="material")
    return territory


def seed_marked() -> Seeded:
    seeded = Seeded(t1=Territory(), t2=Territory(), actors={}, users={}, tokens={})
    seeded.t1 = _territory("Territoire Un", "un", ACTORS_1, seeded)
    seeded.t2 = _territory("Territoire Deux", "deux", ACTORS_2, seeded)
    a = seeded.actors
    for supplier, receiver in [("alpha", "bravo"), ("charlie", "alpha"), ("bravo", "delta")]:
        proposal = Proposal.objects.create(
            territory=seeded.t1, type="substitution", supplier=a[supplier],
            receiver=a[receiver], resource="slag", quantity=Decimal("1234.5"), unit="t",
            explanation=f"{a[supplier].name} to {a[receiver].name}")
        ProposalActor.objects.create(proposal=proposal, actor=a[supplier], position=0)
        ProposalActor.objects.create(proposal=proposal, actor=a[receiver], position=1)
    group = facilitator_group_ensure()
    roles = {
        "facilitator": (seeded.t1, Role.FACILITATOR, []),
        "member": (seeded.t1, Role.MEMBER, [a["alpha"]]),
        "observer": (seeded.t1, Role.OBSERVER, []),
        "facilitator2": (seeded.t2, Role.FACILITATOR, []),
    }
    for username, (territory, role, actors) in roles.items():
        user = User.objects.create_user(username, password=PASSWORD,
                                        is_staff=role == Role.FACILITATOR)
        if role == Role.FACILITATOR:
            user.groups.add(group)
        membership_set(user=user, territory=territory, role=role, actors=actors)
        seeded.users[username] = user
        seeded.tokens[username] = api_token_create(user=user).key
    admin = User.objects.create_superuser("root", password=PASSWORD)
    seeded.users["admin"] = admin
    seeded.tokens["admin"] = api_token_create(user=admin).key
    return seeded


def forbidden_markers(seeded: Seeded, role: str) -> list[str]:
    """The private markers a role must never receive."""
    t1 = {ext for ext, *_ in ACTORS_1}
    t2 = {ext for ext, *_ in ACTORS_2}
    allowed = {
        "anonymous": set(), "observer": set(), "member": {"alpha"}, "facilitator": t1,
        "facilitator2": t2, "admin": t1 | t2, "regional": set(), "regional_observer": set(),
    }[role]
    return seeded.markers_except(allowed)


def meetings_seed(seeded: Seeded) -> None:
    """A published meeting day in each territory. In territory 1, bravo and charlie met
    and wrote bravo's private marker in their note: the member (alpha) must not read it,
    nor their request, on any page."""
    import datetime
    import itertools

    from django.utils import timezone

    from symbiose.web.meetings.models import Meeting, MeetingEvent, MeetingRequest, Participant

    now = timezone.now()
    for territory, names in ((seeded.t1, ["alpha", "bravo", "charlie"]),
                             (seeded.t2, ["echo", "foxtrot"])):
        event = MeetingEvent.objects.create(
            territory=territory, title=f"Rencontres {territory.slug}",
            date=timezone.localdate(), start_time=datetime.time(9), slots=4, tables=2,
            request_deadline=now + datetime.timedelta(days=1), state="preliminary",
            published_at=now)
        actors = [seeded.actors[n] for n in names]
        Participant.objects.bulk_create(Participant(event=event, actor=a) for a in actors)
        for slot, (a, b) in enumerate(itertools.pairwise(actors), start=1):
            low, high = sorted((a.pk, b.pk))
            request = MeetingRequest.objects.create(
                event=event, requester=a, requested=b, pair_low=low, pair_high=high,
                status="accepted")
            note = (f"Suite avec {seeded.private_markers[b.external_id][0]}"
                    if b.external_id == "charlie" else "")
            Meeting.objects.create(event=event, a=a, b=b, slot=slot, table=1, request=request,
                                   placed_at=now, outcome="held" if note else "",
                                   outcome_note=note)


def lending_seed(seeded: Seeded) -> None:
    """Lending in territory 1: bravo lends an item (its line's label carries bravo's
    private marker, the offer's title does not) to charlie, whose hand-over note carries
    charlie's marker: the member (alpha) sees the offer and that it is taken, never the
    line, the borrower or the note. Alpha borrows delta's room, and echo lends in
    territory 2."""
    import datetime

    from django.utils import timezone

    from symbiose.web.lending import services

    a = seeded.actors
    start = timezone.now() + datetime.timedelta(days=2)
    day = datetime.timedelta(days=1)
    offers = {}
    for owner, kind in (("bravo", "equipment"), ("delta", "space"), ("echo", "skill")):
        marker = seeded.private_markers[owner][0]
        line = Resource.objects.create(
            actor=a[owner], external_id=f"{owner}-lend", year=2026, direction="out",
            kind=kind, label=f"Lendable {marker}", notes=seeded.private_markers[owner][1],
            confidentiality="private")
        offers[owner] = services.offer_create(
            resource=line, data={"title": f"Offer of {owner}", "location": "Quai"}, by=None)
    loan = services.booking_request(offer=offers["bravo"], borrower=a["charlie"],
                                    start=start, end=start + day, by=None,
                                    message=f"Need {seeded.private_markers['charlie'][1]}")
    services.booking_answer(booking=loan, accept=True, by=None)
    services.booking_check_out(booking=loan, by=None,
                               note=f"Scratch {seeded.private_markers['charlie'][0]}")
    services.booking_request(offer=offers["delta"], borrower=a["alpha"], start=start,
                             end=start + day, by=None,
                             message=f"Ours {seeded.private_markers['alpha'][0]}")
    services.booking_request(offer=offers["echo"], borrower=a["foxtrot"], start=start,
                             end=start + day, by=None)


def region_seed(seeded: Seeded) -> None:
    """Both territories in one region, with a regional facilitator and observer. The
    first synergy of territory 1 (alpha → bravo) is operational, its sheet published
    naming alpha only. A cross-territory proposal from bravo (territory 1) to echo
    (territory 2) explains itself with both companies' private markers: neither agreed
    to be named, so no one but the administrator may read the explanation."""
    from symbiose.web.region import services
    from symbiose.web.region.models import CrossProposal, RegionRole

    region = services.region_create(name="Région", slug="region")
    for territory in (seeded.t1, seeded.t2):
        services.region_territory_add(region=region, territory=territory, by=None)
    a = seeded.actors
    first = Proposal.objects.filter(territory=seeded.t1, supplier=a["alpha"]).get()
    first.decision, first.stage = Proposal.Decision.KEPT, Proposal.Stage.OPERATIONAL
    first.save()
    services.sheet_save(proposal=first, data={"title": "Fiche", "exchanged": "slag",
                                              "contacts": "Contact"},
                        named_actor_ids=[a["alpha"].pk], publish=True, by=None)
    CrossProposal.objects.create(
        region=region, supplier=a["bravo"], receiver=a["echo"], resource="slag",
        explanation=f"{seeded.private_markers['bravo'][0]} to "
                    f"{seeded.private_markers['echo'][0]}")
    for username, role in (("regional", RegionRole.FACILITATOR),
                           ("regional_observer", RegionRole.OBSERVER)):
        user = User.objects.create_user(username)
        services.region_membership_set(user=user, region=region, role=role)
        seeded.users[username] = user
        seeded.tokens[username] = api_token_create(user=user).key
