"""Accounts in the admin: for the instance administrator (facilitators manage their
territory's members on the members page)."""

from django.contrib import admin

from symbiose.web.accounts.models import ApiToken, AuditEvent, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "territory", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active", "territory"]
    search_fields = ["user__username", "territory__name"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["actors"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "territory", "actor", "action", "detail"]
    list_filter = ["action", "territory"]
    search_fields = ["username", "detail", "actor__name"]

    # The trail is evidence: nobody edits or deletes it through the admin.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
    search_fields = ["user__username"]
