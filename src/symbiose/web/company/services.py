"""Writes of the company space: a visit of the home page, the digest choice, a figure
declared for one of its synergies, its agreement to be named in reports."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext

from symbiose.web.company.models import DigestChoice, HomeVisit
from symbiose.web.ledger import services as ledger_services
from symbiose.web.ledger.models import LedgerEntry, Status
from symbiose.web.ledger.selectors import entry_current
from symbiose.web.ledger.services import LedgerRefused
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Actor

# Within this time, opening the home again is the same visit: what was new stays marked.
SAME_VISIT = datetime.timedelta(minutes=30)


def home_visit_record(*, user: AbstractBaseUser, now: datetime.datetime
                      ) -> datetime.datetime | None:
    """Record a visit of the home page; return the moment "new" is measured from (the
    visit before this one), None on the first visit."""
    visit, created = HomeVisit.objects.get_or_create(user_id=user.pk,
                                                     defaults={"seen_at": now})
    if created:
        return None
    if now - visit.seen_at > SAME_VISIT:
        visit.previous_at = visit.seen_at
        visit.seen_at = now
        visit.save(update_fields=["previous_at", "seen_at"])
    return visit.previous_at


def digest_choose(*, user: AbstractBaseUser, weekly: bool) -> DigestChoice:
    choice, _ = DigestChoice.objects.update_or_create(user_id=user.pk,
                                                      defaults={"weekly": weekly})
    return choice


def figure_declare(*, viewer: Viewer, synergy: Proposal, actor: Actor, year: int,
                   metric: str, value: Decimal, unit: str, note: str,
                   replace_verified: bool) -> LedgerEntry:
    """A figure the member declares for its company in one of its synergies: the
    ledger's next version of that figure, declared by the company, recorded by the
    member (who and when). A verified figure is replaced only when the member says so;
    the declaration then notes which verification it replaces."""
    if not viewer.owns(actor.pk):
        raise LedgerRefused(gettext("Declare only for your own company."), field="declared_by")
    current = entry_current(synergy=synergy, year=year, metric=metric)
    if current is not None and current.status == Status.VERIFIED:
        if not replace_verified:
            raise LedgerRefused(gettext(
                "This figure was verified by %(who)s (%(evidence)s). Yours would become the "
                "current figure in its place until it is verified again; the verified one "
                "stays in the history. Tick the box below to confirm.") % {
                    "who": current.verifier, "evidence": current.evidence},
                field="replace_verified")
        replaced = gettext("Declared in place of the figure verified by %(who)s "
                           "(%(value)s %(unit)s).") % {
            "who": current.verifier, "value": current.value.normalize(), "unit": current.unit}
        note = f"{replaced} {note}".strip()
    return ledger_services.entry_declare(
        synergy=synergy, year=year, metric=metric, value=value, unit=unit,
        declared_by=actor, note=note, by=viewer.user)


def report_consent_set(*, viewer: Viewer, actor: Actor, agreed: bool) -> None:
    """The member gives or withdraws its company's agreement to be named with its
    figures in reports and the region's library; audited by the ledger."""
    if not viewer.owns(actor.pk):
        raise LedgerRefused(gettext("Only your own company's agreement can be changed here."),
                            field="actor")
    ledger_services.consent_set(actor=actor, agreed=agreed, by=viewer.user)
