"""How confidential a piece of an actor's data is: the levels every visibility rule reads.

Part of the small contract `accounts` offers the apps that own data: with the `Viewer`,
this is all a rule needs to decide what a reader may see.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Confidentiality(models.TextChoices):
    """`private`: the actor and the facilitator only; `anonymous`: others read it without
    the actor's name, its quantity as a band; `public`: anyone of the territory."""

    PRIVATE = "private", _("Private")
    ANONYMOUS = "anonymous", _("Anonymous")
    PUBLIC = "public", _("Public")
