"""The territory's members page (who has access, invitations, ending an access) and an
actor's audit trail: pages of the facilitator about who reads the territory's data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from symbiose.web.accounts import selectors as account_selectors
from symbiose.web.accounts import services as account_services
from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.accounts.models import Membership
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.audit.selectors import audit_trail
from symbiose.web.territory.access import viewer_or_404
from symbiose.web.territory.forms import InviteForm
from symbiose.web.territory.visibility import actor_get_visible


@login_required
def member_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The facilitator's page: who has access, invite a company member, end an access."""
    viewer = viewer_or_404(request, slug, facilitator=True)
    territory = viewer.territory
    form = InviteForm(request.POST or None, territory=territory)
    link = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = account_services.user_create(
            username=data["username"], email=data["email"], territory=territory,
            role=data["role"], actors=data["actors"], by=request.user,
        )
        link = request.build_absolute_uri(
            reverse("accounts:invitation", args=[account_services.invitation_token(user=user)]))
        if user.email:
            send_mail(
                gettext("Your access to %(territory)s on Symbiose") % {"territory": territory},
                gettext("To choose your password and log in, open this link within a week:"
                        "\n\n%(link)s\n") % {"link": link},
                None, [user.email],
            )
        messages.success(request, gettext("Invitation created for %(user)s.")
                         % {"user": user.username})
        form = InviteForm(territory=territory)
    return render(request, "territory/members.html", {
        "territory": territory, "viewer": viewer, "form": form, "link": link,
        "memberships": account_selectors.membership_list(territory=territory),
    })


@login_required
@require_POST
def member_deactivate(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    membership = get_object_or_404(Membership, pk=pk, territory=viewer.territory)
    if membership.user_id == request.user.pk:
        messages.error(request, gettext("You cannot end your own access."))
    else:
        account_services.membership_deactivate(membership=membership, by=request.user)
        messages.success(request, gettext("Access of %(user)s ended.")
                         % {"user": membership.user.username})
    return redirect("territory:members", slug=slug)


@login_required
def actor_trail(request: AuthenticatedHttpRequest, slug: str, actor_id: str) -> HttpResponse:
    """An actor's audit trail, for the facilitator to show the actor."""
    viewer = viewer_or_404(request, slug, facilitator=True)
    try:
        actor = actor_get_visible(viewer=viewer, external_id=actor_id)
    except NoAccess as missing:
        raise Http404 from missing
    return render(request, "territory/actor_trail.html", {
        "territory": viewer.territory, "viewer": viewer, "actor": actor,
        "events": audit_trail(actor=actor)[:500],
    })


