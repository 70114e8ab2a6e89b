"""The demo: a territory and a facilitator account, so a first run shows something real."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from symbiose.web.territory.models import Territory
from symbiose.web.territory.services import territory_load_demo

DEMO_TERRITORY = "Démo — Parc d'activités de la Vallée"
DEMO_USERNAME = "animateur"
DEMO_PASSWORD = "symbiose-demo"
FACILITATORS = "Facilitators"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str | None  # None once the user has changed it: we no longer know it


def facilitator_group_ensure() -> Group:
    """Facilitators edit territories, actors, resources and proposals in the admin."""
    group, _ = Group.objects.get_or_create(name=FACILITATORS)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["territory", "synergies"])
    )
    return group


@transaction.atomic
def demo_prepare() -> tuple[Territory, DemoLogin]:
    territory = territory_load_demo(name=DEMO_TERRITORY)
    user, created = User.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"is_staff": True, "first_name": "Camille"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(facilitator_group_ensure())
    known = DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else None
    return territory, DemoLogin(DEMO_USERNAME, known)
