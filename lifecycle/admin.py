from django.contrib import admin

from catalog.admin import ReasonAdmin
from lifecycle.models import Department


@admin.register(Department)
class DepartmentAdmin(ReasonAdmin):
    """Departments and their leads (who approve their organization-level projects)."""

    list_display = ["name", "lead"]
    search_fields = ["name"]
