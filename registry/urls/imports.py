"""The imports area: uploading a system table, its preview, then the confirmed import."""

from django.urls import path

from registry.views import imports

urlpatterns = [
    path("import/", imports.ImportView.as_view(), name="import"),
    path("import/<int:pk>/", imports.ImportPreviewView.as_view(), name="import_preview"),
]
