from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from registry.models import Node, Placement


@admin.register(Node)
class NodeAdmin(SimpleHistoryAdmin):
    """Read-only: tree changes go through the registry's actions so they keep a reason."""

    list_display = ["code", "name", "clause", "depth"]
    search_fields = ["code", "name", "name_en"]
    readonly_fields = ["path", "depth", "numchild"]
    ordering = ["path"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Placement)
class PlacementAdmin(NodeAdmin):
    list_display = ["standard", "node", "note", "created_at"]
    search_fields = ["standard__number", "node__code", "node__name"]
    readonly_fields = []
    ordering = ["node__path"]
