"""``/api/``: the REST API of every app (docs/api.md), its schema and its documentation.

Like the root URLconf, this composes the apps: their API URLconfs are included by name."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from registry.api import views

app_name = "api"

router = SimpleRouter()
router.register("nodes", views.NodeViewSet, basename="node")
router.register("placements", views.PlacementViewSet, basename="placement")
router.register("standards", views.StandardViewSet, basename="standard")
router.register("exports", views.ExportJobViewSet, basename="exportjob")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(
        url_name="api:schema", template_name="api/swagger_ui.html"), name="docs"),
    path("tree/", views.TreeView.as_view(), name="tree"),
    path("tailoring/", views.TailoringView.as_view(), name="tailoring"),
    path("comparison/", views.ComparisonView.as_view(), name="comparison"),
    path("", include(router.urls)),
    path("", include("audit.api.urls")),
    path("", include("catalog.api.urls")),
    path("", include("lifecycle.api.urls")),
    path("", include("texts.api.urls")),
    # Anything else under /api/ is answered in the API's error shape, not a page.
    re_path(r"^[\s\S]*", views.NoSuchEndpoint.as_view(), name="not_found"),
]
