"""Request checks that hold for every page and API operation."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

# A multipart form carries a little more than its files: their names, the year, the token.
FORM_MARGIN = 1 << 20


class RejectNulCharacters:
    """Refuse a NUL character in the path, the query or a JSON body with 400.

    PostgreSQL text cannot hold NUL: such a value would reach the database as an error
    (a 500) instead of a clear refusal. No legitimate text ever contains one; binary
    uploads (multipart) are left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            return HttpResponseBadRequest(
                gettext("The request contains a NUL character, which is never valid here."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path:
            return True
        if any("\x00" in key or any("\x00" in v for v in values)
               for key, values in request.GET.lists()):
            return True
        if request.content_type == "application/json":
            return b"\\u0000" in request.body or b"\x00" in request.body
        if request.content_type == "application/x-www-form-urlencoded":
            return any("\x00" in v for _, values in request.POST.lists() for v in values)
        return False


class RefuseOversizedBodies:
    """Refuse with 413, before reading a byte of it, a request whose body announces more
    than an upload may weigh (SYMBIOSE_UPLOAD_MAX_BYTES): the API's bundle endpoint once
    took a 200 MB zip and parsed it for 49 s. A body sent without its length is not read
    by Django at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        limit: int = settings.SYMBIOSE_UPLOAD_MAX_BYTES
        if size <= limit + FORM_MARGIN:
            return self.get_response(request)
        message = gettext(
            "The request weighs %(size)s MB; an upload may weigh %(limit)s MB at most. Split "
            "the resources over several files, or send a .zip of CSV files."
        ) % {"size": max(1, round(size / (1 << 20))), "limit": round(limit / (1 << 20))}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)
        return render(request, "413.html", {"message": message}, status=413)
