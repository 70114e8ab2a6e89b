"""Request checks that hold for every page and API operation."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
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
            "The request weighs %(size)s; an upload may weigh %(limit)s at most. Split the "
            "resources over several files, or send a .zip of CSV files."
        ) % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)
        # Back to the page the form was on (an upload posts to its own page).
        back = request.path if request.path.startswith("/t/") else ""
        return render(request, "413.html", {"message": message, "back": back}, status=413)


class SayWhenTheDatabaseIsBusy:
    """On SQLite a long write (a large import writes all its rows in one transaction)
    holds the whole database; another person's save waits for it, then gives up. That
    person gets a 503 that says so, and what to do, rather than a bare server error; the
    browser's back button returns to their form, still filled in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest,
                          exception: Exception) -> HttpResponse | None:
        if not (isinstance(exception, OperationalError) and "locked" in str(exception)):
            return None
        message = gettext(
            "The database is busy with a long write (a large import, probably): your "
            "change was not saved. Go back to the page and save again in a minute.")
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": message}, status=503)
        else:
            response = render(request, "503.html", {"message": message}, status=503)
        response["Retry-After"] = "60"
        return response
