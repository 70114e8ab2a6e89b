"""The workshop or participant a workshop page's reader may see, or a 404; the reader
itself comes from `territory.access.viewer_or_404(..., observers=False)`."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.territory.access import Viewer
from symbiose.web.workshops import visibility
from symbiose.web.workshops.models import Participant, Workshop


def workshop_or_404(viewer: Viewer, workshop_id: int, *, manage: bool = False) -> Workshop:
    try:
        if manage:
            return visibility.workshop_get_managed(viewer=viewer, workshop_id=workshop_id)
        return visibility.workshop_get_visible(viewer=viewer, workshop_id=workshop_id)
    except NoAccess as denied:
        raise Http404 from denied


def acting_or_404(viewer: Viewer, workshop: Workshop, participant_id: Any) -> Participant:
    try:
        return visibility.participant_get_acting(viewer=viewer, workshop=workshop,
                                                 participant_id=int(participant_id))
    except (NoAccess, TypeError, ValueError) as denied:
        raise Http404 from denied
