"""Create-forms that create once, however many times they are posted.

A view renders `once_token()` in a hidden field named FIELD; on a valid post it calls
`once_write(...)`, which claims the token and runs the write in one transaction: the
first post writes, a repeat writes nothing and is sent where the first one led.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from symbiose.web.submissions.models import FormSubmission

FIELD = "submission_token"
T = TypeVar("T")


def once_token() -> str:
    return secrets.token_urlsafe(24)


def once_claim(*, token: str, user: User) -> FormSubmission | str:
    """The new claim, or the URL the first submission of this token led to.

    The unique token is the lock: of two simultaneous posts, one insert wins and the other
    gets the winner's result. Call inside the transaction that writes the form's object,
    so a failed write releases the token.
    """
    if not token:
        # A post without the form's token (a script, a page from before tokens) cannot be
        # told from its repeats; it must not claim "" for everyone after it either.
        token = once_token()
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(token=token, user=user)
    except IntegrityError:
        first = FormSubmission.objects.filter(token=token).first()
        return first.result_url if first is not None else ""


def once_done(claim: FormSubmission, *, result_url: str) -> None:
    claim.result_url = result_url
    claim.save(update_fields=["result_url"])


@dataclass(frozen=True)
class Once(Generic[T]):
    """The outcome of a once-only write: what the write returned (None for a repeat,
    which wrote nothing) and where the submission leads."""

    result: T | None
    url: str

    @property
    def repeated(self) -> bool:
        return self.result is None


def once_write(*, token: str, user: User, write: Callable[[], T],
               result_url: Callable[[T], str], fallback_url: str) -> Once[T]:
    """Claim the form's token and run `write` in one transaction.

    A repeat of a form already submitted runs nothing and leads where the first one did
    (`fallback_url` when that is unknown). An exception from `write` rolls everything
    back, the claim included, so the form may be posted again once corrected, and
    reaches the caller, which says what was wrong beside the fields.
    """
    with transaction.atomic():
        claim = once_claim(token=token, user=user)
        if isinstance(claim, str):
            return Once(None, claim or fallback_url)
        result = write()
        url = result_url(result)
        once_done(claim, result_url=url)
    return Once(result, url)
