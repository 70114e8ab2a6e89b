"""The facilitator's campaign pages: the list with the form that opens one, the progress
page (counts, invitations a page at a time, reminders, addresses), closing, and sending
the queued emails now. Thin views: reads through `selectors` and `visibility`, writes
through `services`; a page the reader may not see answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.campaigns import selectors, sending, services, visibility
from symbiose.web.campaigns.forms import CampaignForm, EmailForm
from symbiose.web.campaigns.models import Campaign, Invitation
from symbiose.web.campaigns.outbox import Delivery
from symbiose.web.submissions.once import FIELD as ONCE_FIELD
from symbiose.web.submissions.once import once_token, once_write
from symbiose.web.territory.access import Viewer, viewer_or_404


def _campaign(viewer: Viewer, campaign_id: int) -> Campaign:
    try:
        return visibility.campaign_get_managed(viewer=viewer, campaign_id=campaign_id)
    except NoAccess as denied:
        raise Http404 from denied


def _invitation(campaign: Campaign, invitation_id: int) -> Invitation:
    try:
        return visibility.invitation_get_managed(campaign=campaign,
                                                 invitation_id=invitation_id)
    except NoAccess as denied:
        raise Http404 from denied


def _progress_url(campaign: Campaign) -> str:
    return reverse("campaigns:detail", args=[campaign.territory.slug, campaign.pk])


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    form = CampaignForm(request.POST or None, territory=viewer.territory)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        actors = form.chosen_actors()
        site_url = request.build_absolute_uri("/")
        try:
            done = once_write(
                token=request.POST.get(ONCE_FIELD, ""), user=request.user,
                write=lambda: services.campaign_open(
                    territory=viewer.territory, data=data, actors=actors, site_url=site_url,
                    by=request.user),
                result_url=_progress_url, fallback_url=request.path)
        except services.CampaignRefused as refused:
            form.add_error(None, str(refused))
        else:
            if not done.repeated:
                messages.success(request, ngettext(
                    "Campaign opened: %(n)d company invited, its email is queued.",
                    "Campaign opened: %(n)d companies invited, their emails are queued.",
                    len(actors)) % {"n": len(actors)})
            return redirect(done.url)
    return render(request, "campaigns/campaign_list.html", {
        "territory": viewer.territory, "viewer": viewer, "form": form, "once": once_token(),
        "campaigns": visibility.campaign_list_managed(viewer=viewer)},
        status=400 if form.errors else 200)


@login_required
@require_GET
def campaign_detail(request: AuthenticatedHttpRequest, slug: str,
                    campaign_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    campaign = _campaign(viewer, campaign_id)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    page = selectors.invitations_page(campaign=campaign, status=status, query=query,
                                      page=request.GET.get("page", 1))
    return render(request, "campaigns/campaign_detail.html", {
        "territory": viewer.territory, "viewer": viewer, "campaign": campaign,
        "counts": selectors.campaign_counts(campaign=campaign), "page": page,
        "status": status, "q": query, "statuses": Invitation.Status.choices,
        "run": (sending.sending_active(campaign=campaign)
                or campaign.sending_runs.first()),
        "failing": selectors.messages_failing(campaign=campaign),
        "site": request.build_absolute_uri("/").rstrip("/")})


@login_required
@require_POST
def campaign_close(request: AuthenticatedHttpRequest, slug: str,
                   campaign_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    campaign = _campaign(viewer, campaign_id)
    services.campaign_close(campaign=campaign, by=request.user)
    messages.success(request, gettext("The campaign is closed: its links now only show "
                                      "what was submitted."))
    return redirect(_progress_url(campaign))


@login_required
@require_POST
def campaign_remind(request: AuthenticatedHttpRequest, slug: str,
                    campaign_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    campaign = _campaign(viewer, campaign_id)
    try:
        count = services.campaign_remind_all(campaign=campaign, by=request.user)
    except services.CampaignRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, ngettext(
            "%(n)d reminder queued.", "%(n)d reminders queued.", count) % {"n": count})
    return redirect(_progress_url(campaign))


@login_required
@require_POST
def campaign_send(request: AuthenticatedHttpRequest, slug: str,
                  campaign_id: int) -> HttpResponse:
    """Deliver the outbox now, for a laptop without a scheduler: a handful of emails in
    this request, more in a job the page follows."""
    viewer = viewer_or_404(request, slug, facilitator=True)
    campaign = _campaign(viewer, campaign_id)
    started = sending.sending_start(campaign=campaign, by=request.user)
    if isinstance(started, Delivery):
        messages.success(request, gettext(
            "%(sent)d email(s) sent, %(failed)d failed (kept for a retry).") % {
            "sent": started.sent, "failed": started.failed})
    else:
        messages.info(request, gettext("%(n)d emails are being sent: this page follows them.")
                      % {"n": started.total})
    return redirect(_progress_url(campaign))


@login_required
@require_GET
def sending_progress(request: AuthenticatedHttpRequest, slug: str, campaign_id: int,
                     run_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    campaign = _campaign(viewer, campaign_id)
    # Reading a sending also frees the campaign of one whose process died.
    sending.sending_active(campaign=campaign)
    run = campaign.sending_runs.filter(pk=run_id).first()
    if run is None:
        raise Http404
    response = render(request, "campaigns/_sending.html", {
        "territory": viewer.territory, "campaign": campaign, "run": run,
        "failing": selectors.messages_failing(campaign=campaign)})
    if request.htmx and not run.active:
        response["HX-Refresh"] = "true"  # the counts above it changed: show them
    return response


@login_required
@require_POST
def invitation_remind(request: AuthenticatedHttpRequest, slug: str, campaign_id: int,
                      invitation_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    invitation = _invitation(_campaign(viewer, campaign_id), invitation_id)
    try:
        services.invitation_remind(invitation=invitation, by=request.user)
    except services.CampaignRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, gettext("Reminder to %(actor)s queued.")
                         % {"actor": invitation.actor.name})
    return redirect(_progress_url(invitation.campaign))


@login_required
@require_POST
def invitation_email(request: AuthenticatedHttpRequest, slug: str, campaign_id: int,
                     invitation_id: int) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    invitation = _invitation(_campaign(viewer, campaign_id), invitation_id)
    form = EmailForm(request.POST)
    if form.is_valid():
        services.invitation_email_set(invitation=invitation, email=form.cleaned_data["email"],
                                      by=request.user)
        messages.success(request, gettext("Address of %(actor)s saved.")
                         % {"actor": invitation.actor.name})
    else:
        messages.error(request, gettext("“%(value)s” is not an email address.")
                       % {"value": request.POST.get("email", "")[:100]})
    return redirect(_progress_url(invitation.campaign))
