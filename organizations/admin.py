from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from organizations.models import Membership, Organization


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Read-only: organizations and roles change on the organizations pages, through their
    actions (organizations.views), which check who administers what."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "name_en", "parent"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "organization__name"]
