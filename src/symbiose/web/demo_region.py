"""The demo's region: the demo territory and two neighbours, with two years of programme
history, practice sheets in the library and cross-territory proposals, so that every
regional page shows something from the first start. Kept apart from `demo.py`: other
parts of the demo (the impact ledger) seed the same territories on their own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import transaction
from django.utils import timezone

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.region import services
from symbiose.web.region.models import Region, RegionRole
from symbiose.web.synergies.models import Proposal, ProposalActor, StageChange
from symbiose.web.territory.classification import resource_classes_fill
from symbiose.web.territory.models import Actor, Resource, Territory

DEMO_REGION = "Démo — Réseau EIT du Bocage normand"
DEMO_REGION_SLUG = "demo-bocage"
DEMO_REGIONAL_FACILITATOR = "reseau"
DEMO_REGIONAL_OBSERVER = "region-financeur"
DEMO_PASSWORD = "symbiose-demo"

# (external id, name, NAF, lat, lon, [(direction, label, EWC, quantity, unit)])
Line = tuple[str, str, str, float, str]
NEIGHBOURS: dict[tuple[str, str], list[tuple[str, str, str, str, str, list[Line]]]] = {
    ("Démo — ZA de Saint-Sever", "demo-saint-sever"): [
        ("scierie", "Scierie du Gast", "16.10A", "48.8392", "-1.0512",
         [("out", "Sciure de bois", "030105", 300, "t"),
          ("out", "Écorces de résineux", "030101", 200, "t")]),
        ("menuiserie-hamelin", "Menuiserie Hamelin", "16.23Z", "48.8411", "-1.0433",
         [("out", "Chutes de bois massif", "030105", 80, "t"),
          ("in", "Palettes bois à réemployer", "", 15, "t")]),
        ("earl-landes", "EARL des Landes", "01.41Z", "48.8302", "-1.0601",
         [("in", "Sciure pour litière des vaches", "", 120, "t")]),
        ("transports-marie", "Transports Marie", "49.41A", "48.8355", "-1.0388",
         [("out", "Palettes bois usagées", "150103", 40, "t")]),
        ("plasturgie-sever", "Plasturgie de Saint-Sever", "22.22Z", "48.8371", "-1.0466",
         [("out", "Chutes de film polyéthylène PE", "070213", 60, "t")]),
        ("serres-gast", "Serres maraîchères du Gast", "01.13Z", "48.8288", "-1.0355",
         [("in", "Chaleur pour le chauffage des serres", "", 900, "MWh")]),
    ],
    ("Démo — Pôle agroalimentaire de Condé", "demo-conde"): [
        ("laiterie-conde", "Laiterie de Condé", "10.51C", "48.8498", "-0.5521",
         [("out", "Lactosérum", "020501", 5000, "t"),
          ("out", "Boues de la station d'épuration", "020502", 800, "t")]),
        ("biscuiterie", "Biscuiterie du Noireau", "10.72Z", "48.8531", "-0.5467",
         [("out", "Brisures de biscuits", "020304", 120, "t"),
          ("out", "Cartons d'emballage usagés", "150101", 40, "t")]),
        ("porcherie", "SCEA du Val de Druance", "01.46Z", "48.8602", "-0.5712",
         [("in", "Lactosérum pour l'alimentation des porcs", "", 4000, "t")]),
        ("methanisation", "Méthanisation du Noireau", "35.21Z", "48.8455", "-0.5603",
         [("in", "Déchets organiques pour le digesteur", "", 3000, "t")]),
        ("cartonnerie", "Cartonnerie de Condé", "17.21A", "48.8477", "-0.5398",
         [("in", "Vieux cartons pour fabrication", "", 500, "t")]),
        ("emballages-noireau", "Emballages du Noireau", "22.22Z", "48.8512", "-0.5589",
         [("in", "Granulés de polyéthylène PE recyclé", "", 80, "t")]),
    ],
}

# (territory slug, supplier, receiver, resource, tonnes, CO2e t, €, [(year offset, stage)])
# Offsets from the current year: 0 this year, -1 last year. The first stage is when the
# proposal was detected; the last is where it stands.
HISTORY = [
    ("demo-conde", "laiterie-conde", "porcherie", "Lactosérum", 4000, 310, 52000,
     [(-1, "idea"), (-1, "study"), (-1, "operational")]),
    ("demo-conde", "biscuiterie", "methanisation", "Brisures de biscuits", 120, 35, 6000,
     [(-1, "idea"), (-1, "study"), (0, "implementation"), (0, "operational")]),
    ("demo-conde", "biscuiterie", "cartonnerie", "Cartons d'emballage usagés", 40, 22, 2400,
     [(-1, "idea"), (0, "implementation")]),
    ("demo-conde", "laiterie-conde", "methanisation", "Boues de la station d'épuration",
     800, 40, 9000, [(0, "idea"), (0, "study")]),
    ("demo-saint-sever", "scierie", "earl-landes", "Sciure de bois", 120, 18, 4800,
     [(-1, "idea"), (-1, "study"), (-1, "operational")]),
    ("demo-saint-sever", "transports-marie", "menuiserie-hamelin", "Palettes bois usagées",
     15, 6, 1500, [(-1, "idea"), (0, "study"), (0, "implementation")]),
    ("demo-saint-sever", "menuiserie-hamelin", "scierie", "Chutes de bois massif", 80, 9,
     1200, [(0, "idea")]),
]

SHEETS = {
    "Lactosérum": {
        "title": "Le lactosérum de la laiterie nourrit les porcs du Val de Druance",
        "exchanged": "4 000 tonnes par an de lactosérum doux, coproduit de la fabrication "
                     "des fromages, livré frais à un élevage porcin à 2 km.",
        "method": "Une cuve tampon de 30 m³ à la laiterie, un enlèvement quotidien par la "
                  "citerne de l'élevage ; le lactosérum remplace une part de l'aliment "
                  "acheté. Contrat annuel, prix indexé sur celui de l'aliment.",
        "figures_note": "Tonnage déclaré par la laiterie ; CO2e estimé par le moteur "
                        "(aliment évité, transport déduit).",
        "obstacles": "La régularité des enlèvements le week-end : réglée par la cuve "
                     "tampon. L'agrément sanitaire du transport : obtenu en trois mois "
                     "avec l'appui de la chambre d'agriculture.",
        "contacts": "Laiterie de Condé — service environnement, 02 31 00 00 00\n"
                    "SCEA du Val de Druance — M. Lefèvre",
    },
    "Sciure de bois": {
        "title": "La sciure de la scierie devient litière pour les vaches",
        "exchanged": "120 tonnes par an de sciure sèche de résineux, non traitée.",
        "method": "Stockage sous hangar à la scierie, enlèvement mensuel par l'éleveur "
                  "avec sa benne ; la sciure remplace la paille achetée.",
        "obstacles": "Garantir une sciure sans bois traité : un tri à la source et un "
                     "engagement écrit de la scierie.",
        "contacts": "",
    },
}


@dataclass(frozen=True)
class RegionalLogin:
    label: str
    role: str  # "regional_facilitator" or "regional_observer", as the demo prints it
    username: str
    password: str | None


def _at(year: int, month: int) -> datetime.datetime:
    """The 15th of that month, or now when that is still to come (a demo started in
    January has no history in March yet)."""
    return min(datetime.datetime(year, month, 15, 10, tzinfo=timezone.get_current_timezone()),
               timezone.now())


def _neighbour(name: str, slug: str,
               specs: list[tuple[str, str, str, str, str, list[Line]]]) -> Territory:
    territory, created = Territory.objects.get_or_create(slug=slug, defaults={"name": name})
    if not created:
        return territory
    year = timezone.localdate().year
    for ext, actor_name, naf, lat, lon, lines in specs:
        actor = Actor.objects.create(
            territory=territory, external_id=ext, name=actor_name, naf_code=naf,
            latitude=Decimal(lat), longitude=Decimal(lon), kind=Actor.Kind.COMPANY,
            engagement=Actor.Engagement.ENGAGED)
        for i, (direction, label, ewc, quantity, unit) in enumerate(lines):
            for line_year in (year - 1, year):
                Resource.objects.create(
                    actor=actor, external_id=f"{ext}-{i}", year=line_year,
                    direction=direction, label=label, ewc_code=ewc,
                    quantity=Decimal(quantity), unit=unit, kind="energy" if unit == "MWh"
                    else "material", confidentiality=Resource.Confidentiality.ANONYMOUS)
    # Met before last year's programme began, as its funnel counts them.
    territory.actors.update(created_at=_at(year - 1, 1))
    resource_classes_fill(territory=territory)
    return territory


def _history(territories: dict[str, Territory]) -> dict[str, Proposal]:
    year = timezone.localdate().year
    made = {}
    for slug, supplier, receiver, resource, tonnes, co2e, eur, steps in HISTORY:
        territory = territories[slug]
        actors = {a.external_id: a for a in territory.actors.all()}
        first_offset, _ = steps[0]
        stage = steps[-1][1]
        proposal = Proposal.objects.create(
            territory=territory, type=Proposal.Type.SUBSTITUTION, supplier=actors[supplier],
            receiver=actors[receiver], resource=resource, quantity=Decimal(tonnes), unit="t",
            tonnes_per_year=Decimal(tonnes), co2e_avoided_t=Decimal(co2e),
            eur_saved=Decimal(eur), origin=Proposal.Origin.WORKSHOP,
            decision=Proposal.Decision.KEPT, stage=stage,
            owner=actors[supplier].name, partners=actors[receiver].name)
        for position, actor in enumerate((actors[supplier], actors[receiver])):
            ProposalActor.objects.create(proposal=proposal, actor=actor, position=position)
        # Dated as the programme lived them, over the two years: each step a dated
        # stage change, so that last year's funnel shows where each synergy stood then.
        # The k-th step of a year falls three months after the one before it.
        moves = [StageChange(proposal=proposal, stage=step, at=_at(
                     year + offset, 3 + 3 * [o for o, _ in steps[:i]].count(offset)))
                 for i, (offset, step) in enumerate(steps) if i > 0]
        StageChange.objects.bulk_create(moves)
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=_at(year + first_offset, 3),
            stage_changed_at=moves[-1].at if moves else _at(year + first_offset, 3),
            decided_at=_at(year + first_offset, 4))
        proposal.refresh_from_db()
        made[resource] = proposal
    return made


def _account(username: str, region: Region, role: str, label: str) -> RegionalLogin:
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    services.region_membership_set(user=user, region=region, role=role)
    known = DEMO_PASSWORD if user.check_password(DEMO_PASSWORD) else None
    return RegionalLogin(label, f"regional_{role}", username, known)


@transaction.atomic
def demo_region_ensure(*, territory: Territory, by: AbstractBaseUser | None
                       ) -> list[RegionalLogin]:
    """The region, once: a region already there is left as it is (and its accounts
    listed), so a second start changes nothing."""
    region = Region.objects.filter(slug=DEMO_REGION_SLUG).first()
    if region is None:
        region = services.region_create(
            name=DEMO_REGION, slug=DEMO_REGION_SLUG,
            description="Trois territoires voisins qui partagent leurs fiches et leurs "
                        "gisements sans preneur.")
        territories = {territory.slug: territory}
        for (name, slug), specs in NEIGHBOURS.items():
            territories[slug] = _neighbour(name, slug, specs)
        for member in territories.values():
            services.region_territory_add(region=region, territory=member, by=by)
        made = _history(territories)
        for resource, data in SHEETS.items():
            proposal = made[resource]
            named = ([proposal.supplier_id, proposal.receiver_id] if data["contacts"]
                     else [proposal.supplier_id])
            services.sheet_save(proposal=proposal, data=data,
                                named_actor_ids=[pk for pk in named if pk], publish=True,
                                by=by)
        services.crossings_detect(region=region)
        first = region.crossings.order_by("-score", "id").first()
        if first is not None:  # one side already agreed to be named
            services.crossing_agree(crossing=first, side="supplier", agreed=True, by=by)
        facilitator = User.objects.filter(pk=by.pk).first() if by else None
        if facilitator is not None:
            for slug in ("demo-saint-sever", "demo-conde"):
                if not facilitator.memberships.filter(territory=territories[slug]).exists():
                    membership_set(user=facilitator, territory=territories[slug],
                                   role=Role.FACILITATOR)
    return [
        _account(DEMO_REGIONAL_FACILITATOR, region, RegionRole.FACILITATOR,
                 str(RegionRole.FACILITATOR.label)),
        _account(DEMO_REGIONAL_OBSERVER, region, RegionRole.OBSERVER,
                 str(RegionRole.OBSERVER.label)),
    ]
