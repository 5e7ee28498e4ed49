from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from registry.views import exports, health, history, imports, nodes, standards, tree, watch

registry_patterns = [
    path("", tree.TreeView.as_view(), name="tree"),
    path("nodes/<int:pk>/", tree.NodeView.as_view(), name="node_detail"),
    path("nodes/<int:pk>/add/", nodes.NodeAddView.as_view(), name="node_add"),
    path("nodes/<int:pk>/edit/", nodes.NodeEditView.as_view(), name="node_edit"),
    path("nodes/<int:pk>/move/", nodes.NodeMoveView.as_view(), name="node_move"),
    path("nodes/<int:pk>/reorder/", nodes.NodeReorderView.as_view(), name="node_reorder"),
    path("nodes/<int:pk>/delete/", nodes.NodeDeleteView.as_view(), name="node_delete"),
    path("nodes/<int:pk>/place/", nodes.NodePlaceView.as_view(), name="node_place"),
    path("nodes/<int:pk>/order/", nodes.NodeOrderView.as_view(), name="node_order"),
    path("placements/<int:pk>/delete/", nodes.PlacementDeleteView.as_view(),
         name="placement_delete"),
    path("nodes/<int:pk>/history/", history.NodeChangelogView.as_view(),
         name="node_changelog"),
    path("as-of/", history.AsOfView.as_view(), name="as_of"),
    path("as-of/compare/", history.AsOfCompareView.as_view(), name="as_of_compare"),
    path("export/", exports.ExportView.as_view(), name="exportjob_add"),
    path("export/<int:pk>/", exports.ExportJobView.as_view(), name="exportjob_detail"),
    path("export/<int:pk>/download/", exports.export_download, name="exportjob_download"),
    path("notes/", exports.NotesView.as_view(), name="compilationnotes_edit"),
    path("system/", exports.SystemView.as_view(), name="system_edit"),
    path("import/", imports.ImportView.as_view(), name="import"),
    path("import/<int:pk>/", imports.ImportPreviewView.as_view(), name="import_preview"),
    path("needs-review/", watch.ReviewFlagListView.as_view(), name="reviewflag_list"),
    path("needs-review/<int:pk>/", watch.ReviewFlagDecideView.as_view(),
         name="reviewflag_decide"),
    path("standards/", standards.StandardListView.as_view(), name="standard_list"),
    path("standards/add/", standards.StandardAddView.as_view(), name="standard_add"),
    path("standards/<int:pk>/", standards.StandardView.as_view(), name="standard_detail"),
    path("standards/<int:pk>/edit/", standards.StandardEditView.as_view(),
         name="standard_edit"),
]

urlpatterns = [
    path("", include("audit.urls")),
    path("", include((registry_patterns, "registry"))),
    path("", include("catalog.urls")),
    path("lifecycle/", include("lifecycle.urls")),
    path("api/", include("registry.api.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("registry.accounts.password_urls")),
    path("accounts/", include("registry.accounts.urls")),
    # The language can be switched before logging in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),  # load balancers (docs/deployment.md)
]
