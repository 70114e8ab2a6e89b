"""The Django admin seen through the visibility rules.

A facilitator is staff and edits in the admin; without this scope it would read every
territory of the instance. Each scoped admin shows a non-superuser only the rows of the
territories it facilitates, offers only those in its choice lists, and records every
change of an actor's data in the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext

from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.territory.access import territory_list_facilitated
from symbiose.web.territory.models import Actor, Resource, Territory


def facilitated_territories(request: HttpRequest) -> QuerySet[Territory]:
    return territory_list_facilitated(user=request.user)


def admin_author(request: HttpRequest) -> AbstractBaseUser | None:
    """Who acts in the admin: always a signed-in staff user, which Django types loosely."""
    return request.user if isinstance(request.user, AbstractBaseUser) else None


def _audit_change(request: HttpRequest, obj: Model, verb: str) -> None:
    actor = obj if isinstance(obj, Actor) else getattr(obj, "actor", None)
    if not isinstance(actor, Actor):
        return
    audit_record(by=admin_author(request),
                 territory=actor.territory, actor=actor, action=AuditEvent.Action.CHANGE,
                 detail=gettext("%(verb)s in the administration: %(object)s")
                 % {"verb": verb, "object": str(obj)[:200]})


class TerritoryScopedAdmin(admin.ModelAdmin):
    """`territory_path`: how to reach the territory from the model ("" for Territory)."""

    territory_path = "territory"

    def _scope(self, request: HttpRequest, queryset: QuerySet[Any],
               path: str) -> QuerySet[Any]:
        if getattr(request.user, "is_superuser", False):
            return queryset
        key = f"{path}__in" if path else "pk__in"
        return queryset.filter(**{key: facilitated_territories(request)})

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self._scope(request, super().get_queryset(request), self.territory_path)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest,
                                 **kwargs: Any) -> Any:
        related = db_field.related_model
        paths = {Territory: "", Actor: "territory"}
        for model, path in paths.items():
            if related is model or (isinstance(related, type) and issubclass(related, model)):
                kwargs["queryset"] = self._scope(request, model._default_manager.all(), path)
                break
        else:
            if hasattr(related, "territory"):
                kwargs["queryset"] = self._scope(
                    request, related._default_manager.all(), "territory")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any],
                   change: bool) -> None:
        super().save_model(request, obj, form, change)
        _audit_change(request, obj, gettext("Changed") if change else gettext("Added"))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _audit_change(request, obj, gettext("Deleted"))
        super().delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: ModelForm[Any],
                     formset: BaseInlineFormSet[Any, Any, Any], change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for obj in [*formset.new_objects, *(o for o, _ in formset.changed_objects)]:
            if isinstance(obj, Resource):
                _audit_change(request, obj, gettext("Changed"))
