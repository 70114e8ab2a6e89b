"""Request checks that hold for every page and API operation."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext


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
