"""The root URLconf (``ROOT_URLCONF``): the site's shell, mounting every app. Registry's own
pages come one module per area (``registry:`` names; the accounts area has its own
``accounts:`` namespace and Django's password views); the other apps are included by name,
so this module imports none of them."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from registry.urls import accounts, tree, watch
from registry.views import exports, health, imports

registry_patterns = [
    *tree.urlpatterns,
    path("export/", exports.ExportView.as_view(), name="exportjob_add"),
    path("export/<int:pk>/", exports.ExportJobView.as_view(), name="exportjob_detail"),
    path("export/<int:pk>/download/", exports.export_download, name="exportjob_download"),
    path("notes/", exports.NotesView.as_view(), name="compilationnotes_edit"),
    path("system/", exports.SystemView.as_view(), name="system_edit"),
    path("import/", imports.ImportView.as_view(), name="import"),
    path("import/<int:pk>/", imports.ImportPreviewView.as_view(), name="import_preview"),
    *watch.urlpatterns,
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
    path("accounts/", include(accounts.password_patterns)),
    path("accounts/", include((accounts.urlpatterns, "accounts"))),
    # The language can be switched before logging in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),  # load balancers (docs/deployment.md)
]
