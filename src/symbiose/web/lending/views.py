"""The lending pages: the territory's offers, an offer with its calendar, offering a
line, changing an offer, and the .ics feeds."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.lending import selectors, services
from symbiose.web.lending.forms import OfferForm, periods_text
from symbiose.web.lending.ics import Entry, bookings_ics
from symbiose.web.lending.models import LENDABLE_KINDS, Offer, OfferPeriod
from symbiose.web.lending.pages import offer_of
from symbiose.web.lending.visibility import (
    borrowers_for,
    company_visible,
    line_offerable_get,
    offer_editable,
)
from symbiose.web.submissions.once import FIELD as ONCE_FIELD
from symbiose.web.submissions.once import once_token, once_write
from symbiose.web.territory.access import viewer_or_404
from symbiose.web.territory.forms import form_refusal
from symbiose.web.territory.models import Actor, Resource


@login_required
def offer_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    kind = request.GET.get("kind", "")
    kind = kind if kind in LENDABLE_KINDS else ""
    return render(request, "lending/offer_list.html", {
        "territory": viewer.territory, "viewer": viewer, "kind": kind,
        "kinds": [(k, Resource.Kind(k).label) for k in LENDABLE_KINDS],
        "offers": selectors.offer_list(viewer=viewer, kind=kind),
        "made": selectors.bookings_made(viewer=viewer)[:50],
        "to_answer": selectors.bookings_to_answer(viewer=viewer),
        "companies": Actor.objects.filter(pk__in=list(viewer.actor_ids)).order_by("name"),
    })


@login_required
def offer_detail(request: AuthenticatedHttpRequest, slug: str, offer_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    offer = offer_of(viewer, offer_id)
    since = timezone.now() - datetime.timedelta(days=1)
    return render(request, "lending/offer_detail.html", {
        "territory": viewer.territory, "viewer": viewer, "offer": offer,
        "calendar": selectors.calendar_rows(viewer=viewer, offer=offer, since=since),
        "history": selectors.history(viewer=viewer, offer=offer),
        "periods": selectors.periods(offer=offer),
        "editable": offer_editable(viewer=viewer, offer=offer),
        "can_book": offer.active and borrowers_for(viewer=viewer, offer=offer).exists(),
    })


def _offer_page(request: AuthenticatedHttpRequest, context: dict[str, Any],
                form: OfferForm) -> HttpResponse:
    context.update(form=form, once_field=ONCE_FIELD)
    return render(request, "lending/offer_form.html", context,
                  status=400 if form.errors else 200)


@login_required
def offer_create(request: AuthenticatedHttpRequest, slug: str, resource_id: int) -> HttpResponse:
    """Offer one of the company's lines for lending (from its actor page)."""
    viewer = viewer_or_404(request, slug, observers=False)
    try:
        line = line_offerable_get(viewer=viewer, resource_id=resource_id)
    except NoAccess as denied:
        raise Http404 from denied
    token = request.POST.get(ONCE_FIELD) or once_token()
    context: dict[str, Any] = {"territory": viewer.territory, "viewer": viewer, "line": line,
                               "offer": None, "token": token}
    if request.method != "POST":
        existing = Offer.objects.filter(resource=line).first()
        if existing is not None:
            return redirect("lending:offer", slug, existing.pk)
        form = OfferForm(creating=True, initial={"title": line.label[:200]})
        return _offer_page(request, context, form)
    form = OfferForm(request.POST, creating=True)
    if form.is_valid():
        try:
            done = once_write(
                token=token, user=request.user,
                write=lambda: services.offer_create(resource=line, data=form.data_for_service(),
                                                    periods=form.periods(), by=request.user),
                result_url=lambda offer: reverse("lending:offer", args=[slug, offer.pk]),
                fallback_url=reverse("lending:offers", args=[slug]))
        except services.LendingRefused as refused:
            form_refusal(form, refused)
        else:
            if not done.repeated:
                messages.success(request, gettext("The item is offered for lending."))
            return redirect(done.url)
    return _offer_page(request, context, form)


@login_required
def offer_edit(request: AuthenticatedHttpRequest, slug: str, offer_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    offer = offer_of(viewer, offer_id)
    if not offer_editable(viewer=viewer, offer=offer):
        raise Http404
    context: dict[str, Any] = {"territory": viewer.territory, "viewer": viewer,
                               "line": offer.resource, "offer": offer}
    if request.method != "POST":
        periods = selectors.periods(offer=offer)
        form = OfferForm(instance=offer, initial={
            "available": periods_text(periods, OfferPeriod.Kind.AVAILABLE),
            "blocked": periods_text(periods, OfferPeriod.Kind.BLOCKED)})
        return _offer_page(request, context, form)
    # The form works on a copy: a refused change must not leave the offer half-changed.
    form = OfferForm(request.POST, instance=offer_of(viewer, offer_id))
    if form.is_valid():
        try:
            services.offer_update(offer=offer, data=form.data_for_service(),
                                  periods=form.periods(), by=request.user)
        except services.LendingRefused as refused:
            form_refusal(form, refused)
        else:
            messages.success(request, gettext("The offer was saved."))
            return redirect("lending:offer", slug, offer.pk)
    return _offer_page(request, context, form)


def _ics(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@login_required
def offer_ics(request: AuthenticatedHttpRequest, slug: str, offer_id: int) -> HttpResponse:
    """The item's bookings, for the lender's calendar; others see "booked" periods."""
    viewer = viewer_or_404(request, slug, observers=False)
    offer = offer_of(viewer, offer_id)
    entries = [Entry(
        key=f"{offer.pk}-{int(row.start.timestamp())}",
        summary=f"{offer.title} · {row.borrower}" if row.borrower else
        gettext("%(title)s · booked") % {"title": offer.title},
        start=row.start, end=row.end, description=row.status_label, location=offer.location)
        for row in selectors.calendar_rows(viewer=viewer, offer=offer)]
    return _ics(bookings_ics(name=offer.title, entries=entries, host=request.get_host()),
                f"offer-{offer.pk}")


@login_required
def company_ics(request: AuthenticatedHttpRequest, slug: str, actor_id: str) -> HttpResponse:
    """A company's loans and borrowings, named: for its members and the facilitator."""
    viewer = viewer_or_404(request, slug, observers=False)
    actor = Actor.objects.filter(territory=viewer.territory, external_id=actor_id).first()
    if actor is None or not company_visible(viewer=viewer, actor=actor):
        raise Http404
    entries = []
    for booking in selectors.company_bookings(actor=actor):
        lent = booking.offer.actor_id == actor.pk
        summary = (gettext("%(title)s lent to %(name)s") if lent
                   else gettext("%(title)s borrowed from %(name)s")) % {
            "title": booking.offer.title,
            "name": booking.borrower.name if lent else booking.offer.actor.name}
        entries.append(Entry(key=f"booking-{booking.pk}", summary=summary,
                             start=booking.start, end=booking.end,
                             description=booking.get_status_display(),
                             location=booking.offer.location))
    return _ics(bookings_ics(name=actor.name, entries=entries, host=request.get_host()),
                f"lending-{actor.pk}")
