"""The demo: a territory and one account per role, so a first run shows something real."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.demo_campaign import demo_campaign_ensure
from symbiose.web.demo_events import demo_events_ensure
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
