"""Log-in rate limiting by django-axes, for log-ins that come through a web request."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class RateLimitedBackend(AxesStandaloneBackend):
    """Axes refuses calls without a request; the command line and tests authenticate
    without one, and are not what a password-guessing attacker can reach, so they are
    left to the next backend instead of failing."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None,
        password: str | None = None, **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        # Raises when the user is locked out; otherwise lets the next backend decide.
        super().authenticate(request, username, password, **kwargs)
        return None
