"""Pages about one's own account: setting a password from an invitation, API tokens,
and the password reset (rate limited). A territory's members are its facilitator's page
(`territory.views_members`)."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.views import PasswordResetView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from symbiose.web.accounts import services
from symbiose.web.accounts.http import AuthenticatedHttpRequest


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
def api_token(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a token for the HTTP API; it is shown once, only its digest is kept."""
    key = ""
    if request.method == "POST":
        key = services.api_token_create(user=request.user).key
    return render(request, "accounts/api_token.html", {"key": key})


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
