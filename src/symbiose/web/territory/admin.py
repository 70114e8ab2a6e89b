"""Everything editable in the Django admin, for the facilitator and the administrator."""

from django.contrib import admin

from symbiose.web.territory.models import Actor, Commune, Resource, Territory, Zone


class CommuneInline(admin.TabularInline):
    model = Commune
    extra = 0


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CommuneInline, ZoneInline]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "territory"]
    list_filter = ["territory"]
    search_fields = ["name", "insee_code"]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
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
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "external_id", "kind", "naf_code", "commune", "zone", "engagement"]
    list_filter = ["territory", "kind", "engagement", "zone"]
    search_fields = ["name", "external_id", "naf_code", "siret"]
    autocomplete_fields = ["commune", "zone"]
    inlines = [ResourceInline]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["label", "actor", "year", "direction", "kind", "quantity", "unit",
                    "confidentiality"]
    list_filter = ["year", "direction", "kind", "confidentiality", "actor__territory"]
    search_fields = ["label", "external_id", "actor__name", "ewc_code"]
    autocomplete_fields = ["actor"]
