"""Writes of the company space: a visit of the home page, the digest choice."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser

from symbiose.web.company.models import DigestChoice, HomeVisit

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
