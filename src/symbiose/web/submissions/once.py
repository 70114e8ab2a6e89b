"""Create-forms that create once, however many times they are posted.

A view renders `once_token()` in a hidden field named FIELD; on a valid post it calls
`once_claim(...)` before writing: None means "go on and write, then `once_done`"; a URL
means the same form was already submitted and the view redirects there.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from symbiose.web.submissions.models import FormSubmission

FIELD = "submission_token"


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
