"""The demo: a territory and one account per role, so a first run shows something real."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.demo_campaign import demo_campaign_ensure
from symbiose.web.demo_events import demo_events_ensure
from symbiose.web.demo_ledger import demo_ledger_ensure
from symbiose.web.demo_region import demo_region_ensure
from symbiose.web.territory import selectors
from symbiose.web.territory.classification import resource_classes_fill
from symbiose.web.territory.models import Actor, Territory
from symbiose.web.transfer.importing import bundle_import

DEMO_TERRITORY = "Démo — Parc d'activités de la Vallée"
DEMO_USERNAME = "animateur"
DEMO_PASSWORD = "symbiose-demo"
# The other roles: a company member of the cheese dairy, and a funder's observer.
DEMO_MEMBER = "fromagerie"
DEMO_MEMBER_ACTOR = "fromagerie"
DEMO_OBSERVER = "financeur"
FACILITATORS = "Facilitators"
DEMO_BUNDLE = Path(__file__).resolve().parent / "territory" / "demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str | None  # None once the user has changed it: we no longer know it
    role: str = Role.FACILITATOR
    actor: str = ""  # the member's actor, by name


def facilitator_group_ensure() -> Group:
    """Facilitators edit territories, actors, resources and proposals in the admin."""
    group, _ = Group.objects.get_or_create(name=FACILITATORS)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["territory", "synergies"])
    )
    return group


def demo_territory_load(*, name: str) -> Territory:
    """The demo territory, imported from the bundle shipped in the package if absent."""
    existing = selectors.territory_get_by_name(name=name)
    if existing:
        return existing
    outcome = bundle_import(territory_name=name, path=DEMO_BUNDLE)
    if not outcome.applied:
        raise RuntimeError(f"the packaged demo bundle is invalid: {outcome.check.problems[:3]}")
    territory = selectors.territory_get_by_name(name=name)
    assert territory is not None
    # Classes stored at once, so the demo's dashboard and map show resource families.
    resource_classes_fill(territory=territory)
    return territory


@transaction.atomic
def demo_prepare() -> tuple[Territory, DemoLogin]:
    territory = demo_territory_load(name=DEMO_TERRITORY)
    demo_lending_prepare(territory=territory)
    user, created = User.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"is_staff": True, "first_name": "Camille"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(facilitator_group_ensure())
    if not user.memberships.filter(territory=territory).exists():
        membership_set(user=user, territory=territory, role=Role.FACILITATOR)
    demo_events_ensure(territory=territory, by=user)
    demo_campaign_ensure(territory=territory, by=user)
    demo_ledger_ensure(territory=territory, by=user)
    demo_region_ensure(territory=territory, by=user)
    known = DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else None
    return territory, DemoLogin(DEMO_USERNAME, known)


def _demo_account(username: str, territory: Territory, role: Role,
                  actors: list[Actor]) -> DemoLogin:
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if not user.memberships.filter(territory=territory).exists():
        membership_set(user=user, territory=territory, role=role, actors=actors)
    known = DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else None
    return DemoLogin(username, known, role, ", ".join(a.name for a in actors))


@transaction.atomic
def demo_other_accounts(*, territory: Territory) -> list[DemoLogin]:
    """A company member tied to a demo actor, and an observer (aggregates only)."""
    actor = Actor.objects.get(territory=territory, external_id=DEMO_MEMBER_ACTOR)
    return [
        _demo_account(DEMO_MEMBER, territory, Role.MEMBER, [actor]),
        _demo_account(DEMO_OBSERVER, territory, Role.OBSERVER, []),
    ]


# (lender, start of its line's label, title, conditions): items the demo's companies lend.
DEMO_OFFERS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("logivire", "Chariot élévateur électrique", "Chariot élévateur électrique 2,5 t",
     {"pricing": "day", "price_eur": 40, "deposit_eur": 500, "insurance_required": True,
      "max_days": 5, "location": "Logivire, quai 3",
      "description": "Libre le samedi et en août. Batterie chargée au départ."}),
    ("duhamel", "Nacelle articulée 16 m, utilisée", "Nacelle articulée 16 m",
     {"pricing": "half_day", "price_eur": 90, "insurance_required": True, "max_days": 3,
      "location": "Chaudronnerie Duhamel, cour arrière",
      "description": "Conduite par une personne titulaire du CACES R486."}),
    ("ccbv", "Salles de réunion", "Salles de réunion de la Maison de l'économie",
     {"location": "Maison de l'économie, rez-de-chaussée",
      "description": "De 12 à 60 places, vidéoprojecteur, café sur demande."}),
    ("fromagerie", "Auditrice interne", "Audits croisés FSSC 22000 / ISO 14001",
     {"pricing": "day", "price_eur": 450, "max_days": 2,
      "description": "Une auditrice interne qualifiée, pour un audit croisé."}),
]


def demo_lending_prepare(*, territory: Territory) -> None:
    """A few offers with bookings in every state a new user meets: a loan taken back
    (which the programme counts as a sharing synergy), one accepted, requests waiting,
    one of them for the demo member's own offer. Once: nothing is added to a territory
    that already lends."""
    import datetime

    from django.utils import timezone

    from symbiose.web.lending import services
    from symbiose.web.lending.models import Offer
    from symbiose.web.territory.models import Resource

    if Offer.objects.filter(territory=territory).exists():
        return
    offers: dict[str, Offer] = {}
    for lender, label, title, conditions in DEMO_OFFERS:
        line = Resource.objects.filter(
            actor__territory=territory, actor__external_id=lender, direction="out",
            label__startswith=label).order_by("-year").first()
        if line is not None:
            offers[lender] = services.offer_create(
                resource=line, data={"title": title, **conditions}, by=None)
    actors = {a.external_id: a for a in Actor.objects.filter(territory=territory)}
    zone = timezone.get_default_timezone()
    today = timezone.localdate()

    def at(days: int, hour: int) -> datetime.datetime:
        return datetime.datetime.combine(today + datetime.timedelta(days=days),
                                         datetime.time(hour), tzinfo=zone)

    def ready(lender: str, borrower: str) -> bool:
        return lender in offers and borrower in actors

    def book(lender: str, borrower: str, start: datetime.datetime, end: datetime.datetime,
             message: str) -> Any:
        return services.booking_request(
            offer=offers[lender], borrower=actors[borrower], start=start, end=end,
            message=message, by=None, now=start - datetime.timedelta(days=1))

    if ready("duhamel", "menuiserie"):
        done = book("duhamel", "menuiserie", at(-12, 8), at(-11, 12),
                    "Pose d'un bardage en hauteur.")
        services.booking_answer(booking=done, accept=True, by=None)
        services.booking_check_out(booking=done, note="Bon état, plein fait.", by=None)
        services.booking_return(booking=done, note="Rendue propre, RAS.", by=None)
    if ready("logivire", "brasserie"):
        accepted = book("logivire", "brasserie", at(5, 8), at(5, 18),
                        "Réception du malt.")
        services.booking_answer(booking=accepted, accept=True, note="Clés à l'accueil.",
                                by=None)
    if ready("ccbv", "fromagerie"):
        book("ccbv", "fromagerie", at(9, 9), at(9, 12), "Formation HACCP, 15 personnes.")
    if ready("fromagerie", "salaisons"):
        book("fromagerie", "salaisons", at(14, 8), at(15, 18), "Audit croisé ISO 14001.")
