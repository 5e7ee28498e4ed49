"""The exports area: exporting the system table, its compilation notes and its name."""

from django.urls import path

from registry.views import exports

urlpatterns = [
    path("export/", exports.ExportView.as_view(), name="exportjob_add"),
    path("notes/", exports.NotesView.as_view(), name="compilationnotes_edit"),
    path("system/", exports.SystemView.as_view(), name="system_edit"),
]
