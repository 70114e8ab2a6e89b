"""Who reads which region: its regional facilitator and observers, the instance
administrator, and (for the library and the proposals that cross into their territory)
the facilitators of its territories. A page a reader may not see answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.viewer import AnyUser, NoAccess, is_administrator, reads_any
from symbiose.web.region.models import Region, RegionMembership, RegionRole


@dataclass(frozen=True)
class RegionViewer:
    """A user as seen from one region. `role` is empty for a territory facilitator who
    holds no regional role; `facilitated` are the region's territories it facilitates."""

    user: AnyUser
    region: Region
    role: str
    facilitated: frozenset[int]
    administrator: bool = False

    @property
    def regional(self) -> bool:
        """Reads the regional dashboard (aggregates)."""
        return self.administrator or self.role in RegionRole.values

    @property
    def sees_crossings(self) -> bool:
        """Observers read aggregates only; facilitators (regional or of a territory)
        follow the proposals that cross."""
        return (self.administrator or self.role == RegionRole.FACILITATOR
                or bool(self.facilitated))


def region_viewer(*, user: AnyUser, region: Region) -> RegionViewer:
    if not reads_any(user):
        raise NoAccess
    if is_administrator(user):
        return RegionViewer(user, region, RegionRole.FACILITATOR, frozenset(),
                            administrator=True)
    user_id = int(user.pk or 0)
    membership = RegionMembership.objects.filter(user_id=user_id, region=region,
                                                 is_active=True).first()
    facilitated = frozenset(
        region.links.filter(territory__memberships__user_id=user_id,
                            territory__memberships__is_active=True,
                            territory__memberships__role=Role.FACILITATOR)
        .values_list("territory_id", flat=True))
    if membership is None and not facilitated:
        raise NoAccess
    return RegionViewer(user, region, membership.role if membership else "", facilitated)


def region_viewer_or_404(request: HttpRequest, region_slug: str, *,
                         regional: bool = False, crossings: bool = False) -> RegionViewer:
    try:
        region = Region.objects.get(slug=region_slug)
        viewer = region_viewer(user=request.user, region=region)
    except (Region.DoesNotExist, NoAccess) as denied:
        raise Http404 from denied
    if (regional and not viewer.regional) or (crossings and not viewer.sees_crossings):
        raise Http404
    return viewer


def region_list_visible(*, user: AnyUser) -> QuerySet[Region]:
    if not reads_any(user):
        return Region.objects.none()
    if is_administrator(user):
        return Region.objects.all()
    user_id = int(user.pk or 0)
    by_role = RegionMembership.objects.filter(user_id=user_id, is_active=True)
    return (Region.objects.filter(pk__in=by_role.values("region_id"))
            | Region.objects.filter(
                links__territory__memberships__user_id=user_id,
                links__territory__memberships__is_active=True,
                links__territory__memberships__role=Role.FACILITATOR)).distinct()
