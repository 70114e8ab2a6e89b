"""The weekly digest: for a member who chose it, what appeared since the last one — new
lines of other companies near its own (haves and wants), and new proposals concerning it
— read through the same visibility rules as its pages, so an email never says more than
the member may read on the site.

Sent by `symbiose digest send`, which a scheduler runs (cron, a systemd timer): never by
the web process.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from symbiose.web.accounts.anonymise import haversine_km
from symbiose.web.accounts.models import Role
from symbiose.web.accounts.viewer import Viewer, memberships_active, viewer_get
from symbiose.web.company.models import DigestChoice
from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.visibility import proposal_list_visible
from symbiose.web.territory.crowd import anonymous_name, crowd_of, describe_anonymously
from symbiose.web.territory.models import Actor, Resource

# "Near": within this distance of one of the member's own actors.
NEAR_KM = 30.0
WEEK = datetime.timedelta(days=7)
# At most this many lines per section: a digest is read on a phone, the site has the rest.
SECTION_MAX = 15


@dataclass
class Digest:
    territory: str
    home_url: str
    new_lines: list[str] = field(default_factory=list)
    new_proposals: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.new_lines or self.new_proposals)


def _near(actor: Actor, own: list[Actor]) -> bool:
    if actor.latitude is None or actor.longitude is None:
        return False
    return any(o.latitude is not None and o.longitude is not None and haversine_km(
        float(o.latitude), float(o.longitude), float(actor.latitude),
        float(actor.longitude)) <= NEAR_KM for o in own)


def _line_text(line: Resource, who: str) -> str:
    side = gettext("offers") if line.direction == Resource.Direction.OUT else gettext("needs")
    return f"{who} {side} : {line.label}"


def _new_lines(viewer: Viewer, own: list[Actor], since: datetime.datetime) -> list[str]:
    """Other actors' lines added since, near the member's actors: public ones named, the
    anonymous ones described as the pages describe them, private ones never."""
    lines = (Resource.objects.filter(actor__territory=viewer.territory, created_at__gt=since)
             .exclude(actor_id__in=viewer.actor_ids)
             .filter(Q(confidentiality=Resource.Confidentiality.PUBLIC)
                     | Q(confidentiality=Resource.Confidentiality.ANONYMOUS))
             .select_related("actor").order_by("-created_at"))
    texts = []
    crowd = None
    for line in lines:
        if not _near(line.actor, own):
            continue
        if line.confidentiality == Resource.Confidentiality.PUBLIC:
            texts.append(_line_text(line, line.actor.name))
        else:
            crowd = crowd or crowd_of(viewer)
            texts.append(_line_text(line, anonymous_name(*describe_anonymously(
                crowd, line.actor_id))))
        if len(texts) == SECTION_MAX:
            break
    return texts


def _new_proposals(viewer: Viewer, since: datetime.datetime) -> list[str]:
    fresh = list(Proposal.objects.filter(territory=viewer.territory, created_at__gt=since)
                 .values_list("pk", flat=True)[:500])
    shown = proposal_list_visible(viewer=viewer, ids=fresh) if fresh else []
    return [f"{p.resource} — " + ", ".join(side.name for side in p.sides)
            for p in shown[:SECTION_MAX]]


def digests_for(*, user: AbstractBaseUser, since: datetime.datetime, base_url: str) -> list[Digest]:
    """One digest per territory where the user is a company member; empty ones left out."""
    found = []
    for membership in memberships_active(user).filter(role=Role.MEMBER).select_related(
            "territory"):
        viewer = viewer_get(user=user, territory=membership.territory)
        own = list(Actor.objects.filter(pk__in=viewer.actor_ids))
        if not own:
            continue
        digest = Digest(viewer.territory.name, base_url + reverse("company:home"),
                        _new_lines(viewer, own, since), _new_proposals(viewer, since))
        if digest:
            found.append(digest)
    return found


def digest_text(digests: list[Digest]) -> str:
    parts = []
    for digest in digests:
        parts.append(f"== {digest.territory} ==")
        if digest.new_lines:
            parts.append(gettext("New resources and needs near you:"))
            parts += [f"- {text}" for text in digest.new_lines]
        if digest.new_proposals:
            parts.append(gettext("New proposals concerning you:"))
            parts += [f"- {text}" for text in digest.new_proposals]
        parts.append(gettext("Everything on your page: %(url)s") % {"url": digest.home_url})
        parts.append("")
    parts.append(gettext("You receive this digest because you asked for it; stop it from "
                         "your page."))
    return "\n".join(parts)


def digests_send(*, now: datetime.datetime, base_url: str) -> tuple[int, int]:
    """Send the digests that are due (a week after the last one, or since the choice for
    a first one); return (sent, due but empty). Each choice's clock moves on only once
    its email went out, so a failed delivery is tried again at the next run."""
    sent = empty = 0
    due = (DigestChoice.objects.filter(weekly=True).select_related("user")
           .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - WEEK)))
    with get_connection() as connection, translation.override(settings.LANGUAGE_CODE):
        for choice in due:
            user = choice.user
            if not user.is_active or not user.email:
                continue
            since = choice.last_sent_at or max(choice.changed_at - WEEK, now - WEEK)
            digests = digests_for(user=user, since=since, base_url=base_url)
            if not digests:
                empty += 1
                choice.last_sent_at = now
                choice.save(update_fields=["last_sent_at"])
                continue
            message = EmailMessage(gettext("Symbiose — your weekly digest"),
                                   digest_text(digests), to=[user.email],
                                   connection=connection)
            message.send()
            choice.last_sent_at = now
            choice.save(update_fields=["last_sent_at"])
            sent += 1
    return sent, empty
