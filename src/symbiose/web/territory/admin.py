"""Everything editable in the Django admin, for the facilitator and the administrator."""

import datetime

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from symbiose.web.territory import selectors, services
from symbiose.web.territory.admin_scope import TerritoryScopedAdmin, admin_author
from symbiose.web.territory.models import Actor, Commune, Resource, Territory, Zone


class CommuneInline(admin.TabularInline):
    model = Commune
    extra = 0


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(TerritoryScopedAdmin):
    territory_path = ""
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CommuneInline, ZoneInline]


@admin.register(Commune)
class CommuneAdmin(TerritoryScopedAdmin):
    territory_path = "territory"
    list_display = ["name", "insee_code", "territory"]
    list_filter = ["territory"]
    search_fields = ["name", "insee_code"]


@admin.register(Zone)
class ZoneAdmin(TerritoryScopedAdmin):
    territory_path = "territory"
    list_display = ["name", "territory"]
    list_filter = ["territory"]
    search_fields = ["name"]


class ResourceInline(admin.TabularInline):
    model = Resource
    extra = 0
    fields = [
        "year", "direction", "kind", "label", "ewc_code", "quantity", "unit", "period",
        "cost_eur", "confidentiality",
    ]


@admin.register(Actor)
class ActorAdmin(TerritoryScopedAdmin):
    territory_path = "territory"
    list_display = ["name", "external_id", "kind", "naf_code", "commune", "zone", "engagement"]
    list_filter = ["territory", "kind", "engagement", "zone"]
    search_fields = ["name", "external_id", "naf_code", "siret"]
    autocomplete_fields = ["commune", "zone"]
    inlines = [ResourceInline]
    actions = ["start_this_years_balance"]

    @admin.action(description=_("Start this year's flow balance from the previous one"))
    def start_this_years_balance(self, request: HttpRequest, queryset: QuerySet[Actor]) -> None:
        year = datetime.date.today().year
        copied = 0
        for actor in queryset:
            previous = selectors.actor_latest_year(actor=actor, before=year)
            if previous is not None:
                copied += services.flow_balance_start_year(
                    actor=actor, from_year=previous, to_year=year,
                    by=admin_author(request))
        self.message_user(request, ngettext(
            "%(count)d line copied into %(year)d.", "%(count)d lines copied into %(year)d.",
            copied) % {"count": copied, "year": year})


@admin.register(Resource)
class ResourceAdmin(TerritoryScopedAdmin):
    territory_path = "actor__territory"
    list_display = ["label", "actor", "year", "direction", "kind", "quantity", "unit",
                    "confidentiality"]
    list_filter = ["year", "direction", "kind", "confidentiality", "actor__territory"]
    search_fields = ["label", "external_id", "actor__name", "ewc_code"]
    autocomplete_fields = ["actor"]
