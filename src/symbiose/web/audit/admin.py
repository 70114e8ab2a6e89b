"""The audit trail in the admin: read only, for the instance administrator."""

from django.contrib import admin

from symbiose.web.audit.models import AuditEvent


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
