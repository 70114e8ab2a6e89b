"""What views share: the reader as a Viewer of the territory, or a 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from symbiose.web.accounts.visibility import NoAccess, Viewer, viewer_for_slug


def viewer_or_404(request: HttpRequest, slug: str, *, facilitator: bool = False) -> Viewer:
    """404 rather than 403: a page the reader may not see does not confirm it exists."""
    try:
        viewer = viewer_for_slug(user=request.user, slug=slug)
    except NoAccess as denied:
        raise Http404 from denied
    if facilitator and not viewer.sees_all:
        raise Http404
    return viewer
