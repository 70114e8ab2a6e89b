"""Accounts in the admin: for the instance administrator (facilitators manage their
territory's members on the members page)."""

from django.contrib import admin

from symbiose.web.accounts.models import ApiToken, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "territory", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active", "territory"]
    search_fields = ["user__username", "territory__name"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["actors"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
    search_fields = ["user__username"]
