"""The HTTP API (django-ninja; OpenAPI schema at /api/openapi.json, docs at /api/docs).

Authentication by bearer token (created on the "API token" page) or by the browser
session. Every answer about actors' data goes through the same visibility rules as the
pages (each app's `visibility` module); what the reader may not see answers 404.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import File, NinjaAPI, Query, Schema, Status
from ninja.files import UploadedFile
from ninja.security import HttpBearer, django_auth

from symbiose.web.accounts import selectors as account_selectors
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.api import schemas
from symbiose.web.api.lending import router as lending_router
from symbiose.web.audit.selectors import audit_trail
from symbiose.web.dashboard.visibility.overview import overview_visible
from symbiose.web.synergies import services as synergy_services
from symbiose.web.synergies.models import Proposal
from symbiose.web.synergies.visibility import VisibleProposal, proposal_list_visible
from symbiose.web.territory import access, services_entry, visibility
from symbiose.web.territory.access import Viewer
from symbiose.web.territory.models import Actor, Resource
from symbiose.web.transfer.importing import ImportConflict, bundle_import
from symbiose.web.transfer.reporting import outcome_lines

T = TypeVar("T")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        user = account_selectors.api_token_user(key=token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Symbiose API",
    version="1",
    description="Territories, actors, flow balances and synergy proposals, as the "
    "reader's role on each territory allows.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


# The lending's operations (offers, bookings), in a module of their own.
api.add_router("", lending_router)


@api.exception_handler(NoAccess)
def _no_access(request: HttpRequest, exc: NoAccess) -> HttpResponse:
    return api.create_response(request, {"detail": gettext("Not found")}, status=404)


class PageQuery(Schema):
    page: int = 1
    page_size: int = 50

    def bounds(self) -> tuple[int, int]:
        page = max(1, min(self.page, 1_000_000))
        size = max(1, min(self.page_size, 500))
        return (page - 1) * size, page * size


def _slice(items: QuerySet[Any] | Sequence[Any], paging: PageQuery) -> tuple[int, list[Any]]:
    start, stop = paging.bounds()
    count = items.count() if isinstance(items, QuerySet) else len(items)
    return count, list(items[start:stop])


def _viewer(request: HttpRequest, slug: str) -> Viewer:
    return access.viewer_for_slug(user=request.user, slug=slug)


def _actor_out(actor: Actor, viewer: Viewer) -> dict[str, Any]:
    return {
        "id": actor.external_id, "name": actor.name, "kind": actor.kind,
        "naf_code": actor.naf_code, "commune": actor.commune.name if actor.commune else "",
        "zone": actor.zone.name if actor.zone else "", "latitude": actor.latitude,
        "longitude": actor.longitude, "employees": actor.employees,
        "engagement": actor.engagement, "own": viewer.owns(actor.pk),
    }


def _resource_out(line: Resource) -> dict[str, Any]:
    return {
        "id": line.pk, "actor_id": line.actor.external_id, "external_id": line.external_id,
        "year": line.year, "direction": line.direction, "kind": line.kind,
        "label": line.label, "resource_class": line.resource_class,
        "ewc_code": line.ewc_code, "quantity": line.quantity, "unit": line.unit,
        "period": line.period, "cost_eur": line.cost_eur,
        "confidentiality": line.confidentiality, "notes": line.notes,
    }


@api.get("/territories", response=schemas.TerritoryPage, tags=["territories"])
def territory_list(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    count, items = _slice(access.territory_list_visible(user=request.user), paging)
    return {"count": count, "items": items}


@api.get("/territories/{slug}", response=schemas.SummaryOut, tags=["territories"])
def territory_summary(request: HttpRequest, slug: str) -> dict[str, Any]:
    viewer = _viewer(request, slug)
    overview = overview_visible(viewer=viewer)
    return {
        "slug": viewer.territory.slug, "name": viewer.territory.name,
        "role": viewer.role.value, **{
            key: getattr(overview, key) for key in (
                "actor_count", "resource_count", "output_count", "input_count",
                "latest_year")},
        "actors_by_kind": [{"label": k, "count": n} for k, n in overview.actors_by_kind],
        "actors_by_engagement": [
            {"label": k, "count": n} for k, n in overview.actors_by_engagement],
    }


@api.get("/territories/{slug}/actors", response=schemas.ActorPage, tags=["actors"])
def actor_list(request: HttpRequest, slug: str, paging: Query[PageQuery]) -> dict[str, Any]:
    viewer = _viewer(request, slug)
    count, actors = _slice(visibility.actor_list_visible(viewer=viewer), paging)
    return {"count": count, "items": [_actor_out(a, viewer) for a in actors]}


@api.get("/territories/{slug}/actors/{actor_id}", response=schemas.ActorOut, tags=["actors"])
def actor_get(request: HttpRequest, slug: str, actor_id: str) -> dict[str, Any]:
    viewer = _viewer(request, slug)
    return _actor_out(visibility.actor_get_visible(viewer=viewer, external_id=actor_id), viewer)


@api.get("/territories/{slug}/actors/{actor_id}/resources", response=schemas.ResourcePage,
         tags=["resources"])
def actor_resources(request: HttpRequest, slug: str, actor_id: str,
                    paging: Query[PageQuery]) -> dict[str, Any]:
    """The actor's lines the reader may see, every year, latest first."""
    viewer = _viewer(request, slug)
    actor = visibility.actor_get_visible(viewer=viewer, external_id=actor_id)
    balances, _ = visibility.actor_balance_visible(viewer=viewer, actor=actor)
    lines = [line for _, outs, ins in balances for line in (*outs, *ins)]
    count, items = _slice(lines, paging)
    return {"count": count, "items": [_resource_out(line) for line in items]}


@api.get("/territories/{slug}/actors/{actor_id}/audit", response=schemas.AuditEventPage,
         tags=["actors"])
def actor_audit(request: HttpRequest, slug: str, actor_id: str,
                paging: Query[PageQuery]) -> dict[str, Any]:
    """Who read the actor's private data or changed it (facilitators only)."""
    viewer = _viewer(request, slug)
    access.require_facilitator(viewer)
    actor = visibility.actor_get_visible(viewer=viewer, external_id=actor_id)
    count, items = _slice(audit_trail(actor=actor), paging)
    return {"count": count, "items": items}


@api.get("/territories/{slug}/resources", response=schemas.ResourcePage, tags=["resources"])
def resource_list(request: HttpRequest, slug: str, paging: Query[PageQuery]) -> dict[str, Any]:
    """Lines with their actor's identity: all for a facilitator; for a member its own
    actors' lines and the public lines of others."""
    viewer = _viewer(request, slug)
    if viewer.is_observer:
        raise NoAccess
    count, items = _slice(visibility.resource_list_visible(viewer=viewer), paging)
    visibility.resources_audit_read(viewer=viewer, lines=items, where="API")
    return {"count": count, "items": [_resource_out(line) for line in items]}


@api.get("/territories/{slug}/resources/anonymous", response=schemas.AnonymousResourcePage,
         tags=["resources"])
def resource_anonymous_list(request: HttpRequest, slug: str,
                            paging: Query[PageQuery]) -> dict[str, Any]:
    """Other actors' anonymous lines, as "an actor of sector X within N km" (members)."""
    viewer = _viewer(request, slug)
    count, items = _slice(visibility.resource_anonymous_list(viewer=viewer), paging)
    return {"count": count, "items": [item.__dict__ for item in items]}


@api.patch("/territories/{slug}/resources/{resource_id}",
           response={200: schemas.ResourceOut, 422: schemas.MessageOut}, tags=["resources"])
def resource_update(request: HttpRequest, slug: str, resource_id: int,
                    data: schemas.ResourcePatch) -> Status[dict[str, Any]]:
    """Change a line of one's own actors (or any, for a facilitator); audited."""
    viewer = _viewer(request, slug)
    line = visibility.resource_editable_get(viewer=viewer, pk=resource_id)
    try:
        services_entry.resource_update(
            resource=line, data=data.model_dump(exclude_unset=True, exclude_none=True),
            by=viewer.user)
    except ValidationError as invalid:
        return Status(422, {"detail": "; ".join(invalid.messages)})
    return Status(200, _resource_out(line))


@api.get("/territories/{slug}/proposals", response=schemas.ProposalPage, tags=["proposals"])
def proposal_list(request: HttpRequest, slug: str, paging: Query[PageQuery]) -> dict[str, Any]:
    viewer = _viewer(request, slug)
    count, items = _slice(proposal_list_visible(viewer=viewer), paging)
    return {"count": count, "items": [_proposal_out(item) for item in items]}


def _proposal_out(item: VisibleProposal) -> dict[str, Any]:
    return {**item.__dict__, "sides": [
        {"actor_id": side.external_id, "name": side.name} for side in item.sides]}


@api.post("/territories/{slug}/proposals/{proposal_id}/introduce",
          response={204: None}, tags=["proposals"])
def proposal_introduce(request: HttpRequest, slug: str, proposal_id: int,
                       actor_id: str) -> Status[None]:
    """One's actor agrees to be named to the other side of this proposal."""
    viewer = _viewer(request, slug)
    actor = visibility.actor_get_visible(viewer=viewer, external_id=actor_id)
    if not (viewer.owns(actor.pk) or viewer.sees_all):
        raise NoAccess
    proposal = next((p for p in proposal_list_visible(viewer=viewer,
                                                                  ids=[proposal_id])
                     if p.id == proposal_id
                     and any(s.external_id == actor.external_id for s in p.sides)), None)
    if proposal is None:
        raise NoAccess
    synergy_services.introduction_agree(
        proposal=Proposal.objects.get(pk=proposal_id), actor=actor, by=viewer.user)
    return Status(204, None)


@api.put("/territories/{slug}/proposals/{proposal_id}/stage",
         response={200: schemas.ProposalOut, 422: schemas.MessageOut}, tags=["proposals"])
def proposal_stage(request: HttpRequest, slug: str, proposal_id: int,
                   data: schemas.StageIn) -> Status[dict[str, Any]]:
    """Move a synergy through the action programme (facilitators); audited."""
    viewer = _viewer(request, slug)
    if not viewer.sees_all:
        raise NoAccess
    proposal = Proposal.objects.filter(territory=viewer.territory, pk=proposal_id).first()
    if proposal is None:
        raise NoAccess
    try:
        synergy_services.proposal_stage_set(
            proposal=proposal, stage=data.stage, reason=data.reason, by=viewer.user)
    except synergy_services.ProposalError as refused:
        return Status(422, {"detail": str(refused)})
    shown = proposal_list_visible(viewer=viewer, ids=[proposal_id])[0]
    return Status(200, _proposal_out(shown))


@api.post("/territories/{slug}/bundle", response={200: schemas.ImportReportOut,
                                                  409: schemas.ImportReportOut,
                                                  422: schemas.ImportReportOut},
          tags=["territories"])
def bundle_upload(request: HttpRequest, slug: str, bundle: File[UploadedFile],
                  dry_run: bool = False) -> Status[dict[str, Any]]:
    """Import an .xlsx, .ods or .zip bundle into the territory, all or nothing
    (facilitators).

    Read within the instance's upload limits (size sent, rows, size uncompressed): 413 for a
    body over the size, 422 with the located problems otherwise; 409 when another write
    got in the way (nothing written)."""
    viewer = _viewer(request, slug)
    access.require_facilitator(viewer)
    suffix = Path(bundle.name or "").suffix.lower()
    if suffix not in {".xlsx", ".ods", ".zip"}:
        return Status(422, {"ok": False, "applied": False,
                            "lines": [gettext("A bundle is an .xlsx or .ods workbook or a "
                                              ".zip of CSV files.")]})
    workdir = Path(tempfile.mkdtemp(prefix="symbiose-upload-"))
    try:
        path = workdir / f"bundle{suffix}"
        with path.open("wb") as out:
            for chunk in bundle.chunks():
                out.write(chunk)
        try:
            outcome = bundle_import(
                territory_name=viewer.territory.name, path=path, dry_run=dry_run,
                by=viewer.user, limits=settings.SYMBIOSE_UPLOAD_LIMITS)
        except ImportConflict as conflict:
            return Status(409, {"ok": False, "applied": False, "lines": [str(conflict)]})
        except (ValueError, OSError) as unreadable:
            return Status(422, {"ok": False, "applied": False, "lines": [str(unreadable)]})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    body = {"ok": outcome.check.ok, "applied": outcome.applied,
            "lines": outcome_lines(outcome, dry_run=dry_run)}
    return Status(200 if outcome.check.ok else 422, body)
