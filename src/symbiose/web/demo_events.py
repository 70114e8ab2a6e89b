"""The demo's detection workshop and business meeting day, so that a new user finds both
pages filled from the first start: cards confirmed, pairs with interests, a day of
meetings requested, accepted, scheduled and published as a preliminary agenda.

Written through the same services as the pages, and only once: a demo whose workshop or
meeting day exists is left as its user changed it.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from symbiose.web.meetings.models import MeetingEvent
from symbiose.web.meetings.scheduling import event_publish, event_schedule
from symbiose.web.meetings.services import (
    event_create,
    participant_add,
    request_answer,
    request_create,
)
from symbiose.web.territory.models import Actor, Territory
from symbiose.web.workshops.models import Card, Workshop
from symbiose.web.workshops.selectors import pairs_ranked
from symbiose.web.workshops.services import (
    cards_decide,
    interest_set,
    pairs_keep,
    participants_invite,
    table_create,
    workshop_create,
)

WORKSHOP_TITLE = "Atelier de détection — Parc de la Vallée"
EVENT_TITLE = "Rendez-vous d'affaires — Parc de la Vallée"
# By table theme, the demo actors (bundle ids) invited to the workshop.
TABLES = {
    "Matières et déchets": ["fromagerie", "brasserie", "gaec_souleuvre", "earl_prefleuri",
                            "bocage_env", "paysages"],
    "Bois, énergie et chaleur": ["scierie_sever", "menuiserie", "negoce", "aquavire",
                                 "blanchisserie", "injectoval"],
}


def demo_events_ensure(*, territory: Territory, by: AbstractBaseUser | None) -> None:
    today = timezone.localdate()
    actors = {a.external_id: a for a in Actor.objects.filter(territory=territory)}
    if not territory.workshops.filter(title=WORKSHOP_TITLE).exists():
        _workshop(territory, actors, today + datetime.timedelta(days=7), by)
    if not MeetingEvent.objects.filter(territory=territory, title=EVENT_TITLE).exists():
        _meeting_day(territory, actors, today + datetime.timedelta(days=21), by)


def _workshop(territory: Territory, actors: dict[str, Actor], date: datetime.date,
              by: AbstractBaseUser | None) -> Workshop:
    workshop = workshop_create(territory=territory, by=by, data={
        "title": WORKSHOP_TITLE, "date": date, "place": "Salle du conseil communautaire",
        "description": "Chaque entreprise pose ses ressources et ses besoins sur la table.",
        "state": Workshop.State.OPEN})
    for theme, ids in TABLES.items():
        table = table_create(workshop=workshop, theme=theme, host="", by=by)
        participants_invite(workshop=workshop, table=table, by=by,
                            actors=[actors[i] for i in ids if i in actors])
    for participant in workshop.participants.all():
        drafts = participant.cards.filter(status=Card.Status.DRAFT)
        cards_decide(participant=participant, confirm=drafts.values_list("pk", flat=True),
                     withdraw=[], as_company=True, by=None)
    # The best pairs get each side's interest, the strongest first, as in a room at noon;
    # the three most wanted are kept into the programme, as a facilitator would at the end.
    best = pairs_ranked(workshop=workshop)[:8]
    for rank, row in enumerate(best):
        level = 3 - rank // 3
        interest_set(participant=row.have.participant, pair=row.pair, level=level)
        interest_set(participant=row.want.participant, pair=row.pair, level=max(level - 1, 1))
    pairs_keep(workshop=workshop, pairs=[row.pair for row in best[:3]], by=by)
    return workshop


def _meeting_day(territory: Territory, actors: dict[str, Actor], date: datetime.date,
                 by: AbstractBaseUser | None) -> MeetingEvent:
    deadline = timezone.make_aware(datetime.datetime.combine(
        date - datetime.timedelta(days=7), datetime.time(18, 0)))
    event = event_create(territory=territory, by=by, data={
        "title": EVENT_TITLE, "date": date, "place": "Hôtel d'entreprises de la Vallée",
        "start_time": datetime.time(9, 0), "slot_minutes": 20, "slots": 8, "tables": 4,
        "request_deadline": deadline})
    ids = [i for ids in TABLES.values() for i in ids if i in actors]
    for i in ids:
        participant_add(event=event, actor=actors[i], by=by)
    # Each company asks to meet the next two of the list: a small day that fits the grid.
    for n, i in enumerate(ids):
        for other in ids[n + 1:n + 3]:
            request = request_create(event=event, requester=actors[i], requested=actors[other],
                                     by=by)
            request_answer(request=request, accept=True, by=by)
    event_schedule(event=event, by=by, time_limit_s=5)
    event_publish(event=event, state=MeetingEvent.State.PRELIMINARY, by=by)
    return event
