from django.contrib import admin

from symbiose.web.region.models import Region, RegionMembership, RegionTerritory


class RegionTerritoryInline(admin.TabularInline):
    model = RegionTerritory
    extra = 1


class RegionMembershipInline(admin.TabularInline):
    model = RegionMembership
    extra = 1


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RegionTerritoryInline, RegionMembershipInline]
