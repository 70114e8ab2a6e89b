"""Pages about accounts: a territory's members and invitations, an actor's audit trail,
setting a password from an invitation, API tokens, and the edit of one's own lines.
Thin: forms validate, services write, selectors and the visibility rules read."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.views import PasswordResetView
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from symbiose.web.accounts import selectors, services
from symbiose.web.accounts.forms import InviteForm
from symbiose.web.accounts.http import viewer_or_404
from symbiose.web.accounts.models import Membership
from symbiose.web.accounts.visibility import (
    NoAccess,
    actor_get_visible,
    resource_editable_get,
)
from symbiose.web.submissions.stale import StaleEditError, stale_stamp
from symbiose.web.territory.forms import ResourceEditForm


@login_required
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The facilitator's page: who has access, invite a company member, end an access."""
    viewer = viewer_or_404(request, slug, facilitator=True)
    territory = viewer.territory
    form = InviteForm(request.POST or None, territory=territory)
    link = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            username=data["username"], email=data["email"], territory=territory,
            role=data["role"], actor_ids=[a.external_id for a in data["actors"]],
            by=request.user,  # type: ignore[arg-type]
        )
        link = request.build_absolute_uri(
            reverse("accounts:invitation", args=[services.invitation_token(user=user)]))
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
    return render(request, "accounts/member_list.html", {
        "territory": territory, "viewer": viewer, "form": form, "link": link,
        "memberships": selectors.membership_list(territory=territory),
    })


@login_required
@require_POST
def member_deactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    membership = get_object_or_404(Membership, pk=pk, territory=viewer.territory)
    if membership.user_id == request.user.pk:
        messages.error(request, gettext("You cannot end your own access."))
    else:
        services.membership_deactivate(membership=membership, by=request.user)  # type: ignore[arg-type]
        messages.success(request, gettext("Access of %(user)s ended.")
                         % {"user": membership.user.username})
    return redirect("accounts:members", slug=slug)


@login_required
def actor_trail(request: HttpRequest, slug: str, actor_id: str) -> HttpResponse:
    """An actor's audit trail, for the facilitator to show the actor."""
    viewer = viewer_or_404(request, slug, facilitator=True)
    try:
        actor = actor_get_visible(viewer=viewer, external_id=actor_id)
    except NoAccess as missing:
        raise Http404 from missing
    return render(request, "accounts/actor_trail.html", {
        "territory": viewer.territory, "viewer": viewer, "actor": actor,
        "events": selectors.audit_trail(actor=actor)[:500],
    })


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the signed link: choose a password, then log in."""
    try:
        user: User = services.invitation_user(token=token)
    except services.AccountError as refused:
        return render(request, "accounts/invitation.html", {"error": str(refused)},
                      status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        messages.success(request, gettext("Your password is set. You can now log in."))
        return redirect("login")
    return render(request, "accounts/invitation.html", {"form": form, "invited": user})


@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """Create a token for the HTTP API; it is shown once, only its digest is kept."""
    key = ""
    if request.method == "POST":
        key = services.api_token_create(user=request.user).key  # type: ignore[arg-type]
    return render(request, "accounts/api_token.html", {"key": key})


@login_required
def resource_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A member edits its own actors' lines (a facilitator, any line of its territory).

    The form carries the version it was opened on: when someone else saved the line in
    between, their version is shown, the user's input kept, and nothing is written.
    """
    viewer = viewer_or_404(request, slug)
    try:
        line = resource_editable_get(viewer=viewer, pk=pk)
    except NoAccess as denied:
        raise Http404 from denied
    initial = {name: getattr(line, name) for name in services.RESOURCE_EDITABLE}
    initial["seen_version"] = stale_stamp(line)
    form = ResourceEditForm(request.POST or None, initial=initial)
    theirs = None
    if request.method == "POST" and form.is_valid():
        # A field the post does not carry is left as it is (an older form, a script).
        data = {k: ("" if v is None and k in {"unit", "notes", "ewc_code"} else v)
                for k, v in form.cleaned_data.items()
                if k in services.RESOURCE_EDITABLE and k in request.POST}
        try:
            services.resource_update(resource=line, data=data, by=request.user,  # type: ignore[arg-type]
                                     seen=form.cleaned_data["seen_version"])
        except StaleEditError as stale:
            theirs = stale.current
            posted = request.POST.copy()
            # Saving again from here applies the user's input over the version now shown.
            posted["seen_version"] = stale_stamp(stale.current)
            form = ResourceEditForm(posted)
            form.is_valid()
            form.add_error(None, str(stale))
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("Line saved."))
            return redirect("territory:actor", slug=slug, actor_id=line.actor.external_id)
    return render(request, "accounts/resource_edit.html", {
        "territory": viewer.territory, "viewer": viewer, "line": line, "form": form,
        "theirs": theirs})


class PasswordResetLimited(PasswordResetView):
    """Django's password-reset page, with a limit on the emails it sends (see
    `services.password_reset_admit`). Past the limit the form says so, for any address
    typed, known or not: the answer tells nothing of who has an account."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        client = get_client_ip_address(self.request) or ""
        if not services.password_reset_admit(email=form.cleaned_data["email"],
                                             client_address=client):
            form.add_error(None, gettext(
                "Too many reset requests for this address or from this connection: try "
                "again in an hour, or ask your facilitator."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
