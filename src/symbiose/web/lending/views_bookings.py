"""Requesting a booking, and its life: the lender's answer, the borrower's cancelling,
the hand-over and the return with the item's condition."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.lending import selectors, services
from symbiose.web.lending.forms import AnswerForm, BookingForm, ConditionForm
from symbiose.web.lending.models import Booking
from symbiose.web.lending.pages import booking_of, offer_of
from symbiose.web.lending.visibility import borrower_side, borrowers_for, lender_side
from symbiose.web.submissions.once import FIELD as ONCE_FIELD
from symbiose.web.submissions.once import once_token, once_write
from symbiose.web.territory.access import viewer_or_404
from symbiose.web.territory.forms import form_refusal


@login_required
def booking_create(request: AuthenticatedHttpRequest, slug: str, offer_id: int) -> HttpResponse:
    """Ask to borrow the item; posted twice, it asks once."""
    viewer = viewer_or_404(request, slug, observers=False)
    offer = offer_of(viewer, offer_id)
    companies = borrowers_for(viewer=viewer, offer=offer)
    choices = list(companies.values_list("pk", "name"))
    token = request.POST.get(ONCE_FIELD) or once_token()
    if request.method != "POST":
        form = BookingForm(borrowers=choices)
    else:
        form = BookingForm(request.POST, borrowers=choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = once_write(
                    token=token, user=request.user,
                    write=lambda: services.booking_request(
                        offer=offer, borrower=companies.filter(pk=data["borrower"]).first(),
                        start=data["start"], end=data["end"], message=data["message"],
                        by=request.user),
                    result_url=lambda booking: reverse("lending:booking",
                                                       args=[slug, booking.pk]),
                    fallback_url=reverse("lending:offer", args=[slug, offer.pk]))
            except services.LendingRefused as refused:
                form_refusal(form, refused)
            else:
                if not done.repeated:
                    messages.success(request, gettext("The request was sent to the lender."))
                return redirect(done.url)
    return render(request, "lending/booking_form.html", {
        "territory": viewer.territory, "viewer": viewer, "offer": offer, "form": form,
        "token": token, "once_field": ONCE_FIELD, "no_company": not choices,
        "calendar": selectors.calendar_rows(viewer=viewer, offer=offer),
    }, status=400 if form.errors else 200)


@login_required
def booking_detail(request: AuthenticatedHttpRequest, slug: str,
                   booking_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    booking = booking_of(viewer, booking_id)
    lender = lender_side(viewer=viewer, booking=booking)
    status = booking.status
    return render(request, "lending/booking_detail.html", {
        "territory": viewer.territory, "viewer": viewer, "booking": booking,
        "offer": booking.offer,
        "can_answer": lender and status in (Booking.Status.PENDING, Booking.Status.ACCEPTED),
        "can_cancel": borrower_side(viewer=viewer, booking=booking)
        and status in (Booking.Status.PENDING, Booking.Status.ACCEPTED),
        "can_check_out": lender and status == Booking.Status.ACCEPTED,
        "can_return": lender and status == Booking.Status.CHECKED_OUT,
        "answer_form": AnswerForm(), "condition_form": ConditionForm(),
    })


def _back(slug: str, booking: Booking) -> HttpResponse:
    return redirect("lending:booking", slug, booking.pk)


@login_required
@require_POST
def booking_answer(request: AuthenticatedHttpRequest, slug: str,
                   booking_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    booking = booking_of(viewer, booking_id)
    if not lender_side(viewer=viewer, booking=booking):
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose to accept or decline."))
        return _back(slug, booking)
    try:
        services.booking_answer(booking=booking, accept=form.cleaned_data["answer"] == "accept",
                                note=form.cleaned_data["note"], by=request.user)
    except services.LendingRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("Your answer was recorded."))
    return _back(slug, booking)


@login_required
@require_POST
def booking_cancel(request: AuthenticatedHttpRequest, slug: str,
                   booking_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, observers=False)
    booking = booking_of(viewer, booking_id)
    if not borrower_side(viewer=viewer, booking=booking):
        raise Http404
    try:
        services.booking_cancel(booking=booking, by=request.user)
    except services.LendingRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("The booking was cancelled."))
    return _back(slug, booking)


@login_required
def booking_handover(request: AuthenticatedHttpRequest, slug: str, booking_id: int,
                     step: str) -> HttpResponse:
    """Hand the item over (`check_out`) or take it back (`return`), noting its condition."""
    viewer = viewer_or_404(request, slug, observers=False)
    booking = booking_of(viewer, booking_id)
    if not lender_side(viewer=viewer, booking=booking):
        raise Http404
    form = ConditionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        write: Any = services.booking_check_out if step == "check_out" else \
            services.booking_return
        try:
            write(booking=booking, note=form.cleaned_data["note"], by=request.user)
        except services.LendingRefused as refused:
            form_refusal(form, refused)
        else:
            messages.success(request, gettext("The item was handed over.") if step == "check_out"
                             else gettext("The item was returned."))
            return _back(slug, booking)
    return render(request, "lending/handover_form.html", {
        "territory": viewer.territory, "viewer": viewer, "booking": booking,
        "offer": booking.offer, "form": form, "step": step,
    }, status=400 if form.errors else 200)
