from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from registry.models import Node, Placement


@admin.register(Node)
class NodeAdmin(SimpleHistoryAdmin):
    """Read-mostly: tree changes go through the registry's pages so they keep a reason."""

    list_display = ["code", "name", "clause", "depth"]
    search_fields = ["code", "name", "name_en"]
    readonly_fields = ["path", "depth", "numchild"]
    ordering = ["path"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    list_display = ["standard", "node", "note", "created_at"]
    autocomplete_fields = ["standard", "node"]
    search_fields = ["standard__number", "node__code", "node__name"]
