"""The import and export page of a territory: upload, preview, confirm; download.

Only the territory's facilitator imports; the exports follow the same visibility as the
spreadsheet export (`visibility.export_scope`: a member gets its own actors).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.territory import visibility
from symbiose.web.territory.access import Viewer, viewer_or_404
from symbiose.web.transfer import selectors, services
from symbiose.web.transfer.exporting import bundle_export
from symbiose.web.transfer.forms import BundleUploadForm
from symbiose.web.transfer.models import BundleUpload
from symbiose.web.transfer.preview import shown


@login_required
def import_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    form = BundleUploadForm()
    if request.method == "POST":
        form = BundleUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = services.upload_receive(
                territory=viewer.territory, files=form.cleaned_data["bundle"],
                year=form.cleaned_data["year"], by=viewer.user)
            return redirect("transfer:preview", slug=slug, upload_id=upload.pk)
    return render(request, "transfer/import.html", {
        "territory": viewer.territory, "viewer": viewer, "form": form,
    }, status=400 if form.errors else 200)


def _own_upload(request: HttpRequest, slug: str, upload_id: uuid.UUID
                ) -> tuple[Viewer, BundleUpload]:
    viewer = viewer_or_404(request, slug, facilitator=True)
    try:
        return viewer, selectors.upload_get_own(viewer=viewer, upload_id=upload_id)
    except NoAccess as missing:
        raise Http404 from missing


@login_required
def upload_preview(request: AuthenticatedHttpRequest, slug: str,
                   upload_id: uuid.UUID) -> HttpResponse:
    """The upload's check or import under way, its preview (nothing written yet), or the
    result once imported."""
    viewer, upload = _own_upload(request, slug, upload_id)
    services.upload_follow(upload=upload)
    return render(request, "transfer/preview.html", {
        "territory": viewer.territory, "viewer": viewer, "upload": upload,
        "heading": _heading(upload), "imported": upload.imported,
        "preview": shown(upload.preview, upload.result if upload.imported else None),
    })


def _heading(upload: BundleUpload) -> str:
    if upload.imported:
        return gettext("Import done")
    if upload.importing:
        return gettext("Import under way")
    if upload.checking:
        return gettext("Check under way")
    if upload.status == BundleUpload.Status.FAILED:
        return gettext("Import stopped") if upload.confirmed_at else gettext("Check stopped")
    return gettext("Import preview")


@login_required
@require_GET
def upload_progress(request: AuthenticatedHttpRequest, slug: str,
                    upload_id: uuid.UUID) -> HttpResponse:
    """The progress fragment the preview page polls; once the job is over, the whole page
    is shown again (htmx reloads it)."""
    viewer, upload = _own_upload(request, slug, upload_id)
    services.upload_follow(upload=upload)
    response = render(request, "transfer/_progress.html", {
        "territory": viewer.territory, "upload": upload})
    if not upload.active:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def upload_confirm(request: AuthenticatedHttpRequest, slug: str,
                   upload_id: uuid.UUID) -> HttpResponse:
    """Start importing what was previewed; a second post finds it under way or imported
    and shows it."""
    _, upload = _own_upload(request, slug, upload_id)
    services.upload_confirm(upload=upload)
    return redirect("transfer:preview", slug=slug, upload_id=upload.pk)


def _export(request: AuthenticatedHttpRequest, slug: str, suffix: str) -> FileResponse:
    """The territory as a bundle file: all of it for its facilitator, a member's own
    actors for a member (`visibility.export_scope`)."""
    viewer = viewer_or_404(request, slug)
    try:
        scope = visibility.export_scope(viewer=viewer)
    except NoAccess as denied:
        raise Http404 from denied
    territory = viewer.territory
    workdir = Path(tempfile.mkdtemp(prefix="symbiose-export-"))
    path = workdir / f"{slugify(territory.name) or 'territoire'}{suffix}"
    try:
        bundle_export(territory=territory, path=path, scope=scope, by=viewer.user)
        handle = path.open("rb")
    finally:
        # The open handle keeps the data readable; the folder is gone at once.
        shutil.rmtree(workdir, ignore_errors=True)
    return FileResponse(handle, as_attachment=True, filename=path.name)


@login_required
def export_xlsx(request: AuthenticatedHttpRequest, slug: str) -> FileResponse:
    """The territory as an .xlsx workbook."""
    return _export(request, slug, ".xlsx")


@login_required
def export_ods(request: AuthenticatedHttpRequest, slug: str) -> FileResponse:
    """The territory as an OpenDocument spreadsheet (.ods), as the .xlsx export."""
    return _export(request, slug, ".ods")


@login_required
def export_zip(request: AuthenticatedHttpRequest, slug: str) -> FileResponse:
    """The territory as a .zip of CSV files, with the same scope as the .xlsx export."""
    return _export(request, slug, ".zip")
