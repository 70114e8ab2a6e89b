from django.contrib import admin

from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.admin_scope import TerritoryScopedAdmin


class ProposalActorInline(admin.TabularInline):
    model = ProposalActor
    extra = 0
    autocomplete_fields = ["actor"]


@admin.register(Proposal)
class ProposalAdmin(TerritoryScopedAdmin):
    territory_path = "territory"
    list_display = ["resource", "type", "stage", "territory", "score", "distance_km"]
    list_filter = ["type", "stage", "territory"]
    readonly_fields = ["stage_changed_at"]
    search_fields = ["resource", "explanation"]
    autocomplete_fields = ["supplier", "receiver"]
    inlines = [ProposalActorInline]
