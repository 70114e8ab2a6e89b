"""Downloads of a workshop for its facilitator: the printable cards and the summary."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.territory.access import viewer_or_404
from symbiose.web.workshops import exports, selectors
from symbiose.web.workshops.access import workshop_or_404
from symbiose.web.workshops.models import Card, Workshop

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"


def _download(content: bytes, kind: str, workshop: Workshop, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    filename = f"{slugify(workshop.title) or 'workshop'}-{name}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def cards_pdf(request: AuthenticatedHttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    """Every card not withdrawn, drafts included: the sheets are printed before the day,
    when companies confirm on paper as often as on their phone."""
    viewer = viewer_or_404(request, slug, observers=False)
    workshop = workshop_or_404(viewer, workshop_id, manage=True)
    cards = list(Card.objects.filter(workshop=workshop).exclude(status=Card.Status.WITHDRAWN)
                 .select_related("participant__actor", "participant__table")
                 .order_by("participant__table__position", "participant__actor__name",
                           "side", "label"))

    def url_of(card: Card) -> str:
        # The company's page, where this card is: one code per company, so that the
        # sheets of a 400-card room draw in seconds.
        return request.build_absolute_uri(reverse("workshops:link",
                                                  args=[card.participant.token]))

    def theme_of(card: Card) -> str:
        table = card.participant.table
        return table.theme if table else ""

    content = exports.cards_pdf(cards, theme_of=theme_of, url_of=url_of)
    return _download(content, PDF, workshop, "cards.pdf")


def _summary(request: AuthenticatedHttpRequest, slug: str, workshop_id: int,
             write: Callable[[selectors.WorkshopSummary], bytes], kind: str,
             name: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    workshop = workshop_or_404(viewer, workshop_id, manage=True)
    return _download(write(selectors.workshop_summary(workshop=workshop)), kind, workshop,
                     name)


@login_required
@require_GET
def summary_pdf(request: AuthenticatedHttpRequest, slug: str,
                workshop_id: int) -> HttpResponse:
    return _summary(request, slug, workshop_id, exports.summary_pdf, PDF, "summary.pdf")


@login_required
@require_GET
def summary_xlsx(request: AuthenticatedHttpRequest, slug: str,
                 workshop_id: int) -> HttpResponse:
    return _summary(request, slug, workshop_id, exports.summary_xlsx, XLSX, "summary.xlsx")


@login_required
@require_GET
def summary_ods(request: AuthenticatedHttpRequest, slug: str,
                workshop_id: int) -> HttpResponse:
    return _summary(request, slug, workshop_id, exports.summary_ods, ODS, "summary.ods")
