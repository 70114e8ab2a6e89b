"""The actor directory and the facilitator's forms to create and edit an actor.

Thin: forms validate, `services_entry` writes, the visibility rules read. The list answers
its results block alone to HTMX (live search), the whole page otherwise.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from symbiose.web.accounts.http import AuthenticatedHttpRequest
from symbiose.web.accounts.viewer import NoAccess
from symbiose.web.submissions.once import once_write
from symbiose.web.submissions.stale import StaleEditError, stale_stamp
from symbiose.web.territory import selectors, services_entry, visibility
from symbiose.web.territory.access import Viewer, viewer_or_404
from symbiose.web.territory.forms import ActorForm
from symbiose.web.territory.models import ACTOR_DATA_FIELDS, Actor, Zone

SORTABLE = [("name", "Name"), ("kind", "Kind"), ("naf", "NAF"), ("commune", "Commune"),
            ("zone", "Zone"), ("engagement", "Engagement"), ("resources", "Lines"),
            ("year", "Latest balance")]


@login_required
def actor_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug)
    params = request.GET
    filters = {name: params.get(name, "").strip() for name in ("q", "kind", "zone",
                                                                "engagement")}
    try:
        page, sort = visibility.actor_directory_visible(
            viewer=viewer, query=filters["q"], kind=filters["kind"], zone=filters["zone"],
            engagement=filters["engagement"], sort=params.get("sort", "name"),
            page=params.get("page", 1))
    except NoAccess as denied:
        raise Http404 from denied
    keep = {k: v for k, v in filters.items() if v}
    context: dict[str, Any] = {
        "territory": viewer.territory, "viewer": viewer, "page": page, "sort": sort,
        "filters": filters, "query_string": _encode(keep),
        "sort_query": _encode({**keep, "sort": sort}),
        "kinds": Actor.Kind.choices, "engagements": Actor.Engagement.choices,
        "zones": Zone.objects.filter(territory=viewer.territory).values_list("name", flat=True),
    }
    if request.htmx:
        return render(request, "territory/_actor_results.html", context)
    return render(request, "territory/actor_list.html", context)


def _encode(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


def _form_context(viewer: Viewer, form: ActorForm, **more: Any) -> dict[str, Any]:
    communes, zones = selectors.territory_place_names(territory=viewer.territory)
    return {"territory": viewer.territory, "viewer": viewer, "form": form,
            "communes": communes, "zones": zones, **more}


def _add_model_errors(form: ActorForm, invalid: ValidationError) -> None:
    for field, errors in invalid.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def actor_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    form = ActorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = once_write(
                token=form.cleaned_data["submission_token"], user=request.user,
                write=lambda: services_entry.actor_create(
                    territory=viewer.territory, data=form.cleaned_data, by=request.user),
                result_url=lambda actor: reverse("territory:actor",
                                                 args=[slug, actor.external_id]),
                fallback_url=reverse("territory:actors", args=[slug]))
        except ValidationError as invalid:
            _add_model_errors(form, invalid)
        else:
            if done.result is not None:
                messages.success(request, gettext("Actor “%(name)s” created.")
                                 % {"name": done.result.name})
            return redirect(done.url)
    return render(request, "territory/actor_form.html", _form_context(viewer, form))


def _actor_initial(actor: Actor) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(actor, name)
                               for name in ACTOR_DATA_FIELDS}
    initial.update(commune=actor.commune.name if actor.commune else "",
                   zone=actor.zone.name if actor.zone else "",
                   seen_version=stale_stamp(actor))
    return initial


@login_required
def actor_edit(request: AuthenticatedHttpRequest, slug: str, actor_id: str) -> HttpResponse:
    viewer = viewer_or_404(request, slug, facilitator=True)
    try:
        actor = visibility.actor_get_visible(viewer=viewer, external_id=actor_id)
    except NoAccess as missing:
        raise Http404 from missing
    form = _edit_form(request.POST or None, initial=_actor_initial(actor))
    theirs = None
    if request.method == "POST" and form.is_valid():
        try:
            services_entry.actor_update(actor=actor, data=form.cleaned_data, by=viewer.user,
                                        seen=form.cleaned_data["seen_version"])
        except StaleEditError as stale:
            theirs = stale.current
            form.add_error(None, str(stale))
            form.add_error(None, gettext(
                "The fields you did not change now show their version; yours are kept. "
                "Check them, then save again."))
            form = _rebound(_merged(request.POST, form, cast(Actor, stale.current)), form)
        except ValidationError as invalid:
            _add_model_errors(form, invalid)
        else:
            messages.success(request, gettext("Actor saved."))
            return redirect("territory:actor", slug=slug, actor_id=actor.external_id)
    return render(request, "territory/actor_form.html",
                  _form_context(viewer, form, actor=actor, theirs=theirs))


def _edit_form(data: Any, **kwargs: Any) -> ActorForm:
    """The edit form, carrying the values it was opened with (hidden "initial-" fields):
    after a concurrent save, that tells the fields this person changed from the others."""
    form = ActorForm(data, **kwargs)
    for name in ActorForm.EDITED:
        form.fields[name].show_hidden_initial = True
    return form


def _as_typed(value: Any) -> str:
    return "" if value is None else str(value)


def _merged(posted: Any, form: ActorForm, current: Actor) -> Any:
    """What the form shows after a concurrent save: this person's changes kept, the other
    fields at the version now saved, and that version as the one now seen. Saving the
    user's whole form instead overwrote the fields the other person changed."""
    mine = set(form.changed_data)
    theirs = _actor_initial(current)
    data = posted.copy()
    for name in ActorForm.EDITED:
        shown = _as_typed(theirs[name])
        if name not in mine:
            data[name] = shown
        data[f"initial-{name}"] = shown
    data["seen_version"] = theirs["seen_version"]
    return data


def _rebound(data: Any, old: ActorForm) -> ActorForm:
    form = _edit_form(data)
    form.is_valid()
    for error in old.non_field_errors():
        form.add_error(None, error)
    return form
