"""The request a view receives once `login_required` let it through, typed as such.

Django types `request.user` as a user or an anonymous one; behind `login_required` it is
always a user, which this type says, so views need no cast to write in its name. htmx's
middleware adds `request.htmx`.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
