"""The root URLconf (``ROOT_URLCONF``): the site's shell, mounting every app. Registry's own
pages come one module per area (``registry:`` names; the accounts area has its own
``accounts:`` namespace and Django's password views); the other apps are included by name,
so this module imports none of them."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from registry.urls import accounts, exports, imports, jobs, tree, watch
from registry.views import health

registry_patterns = [
    *tree.urlpatterns,
    *exports.urlpatterns,
    *jobs.urlpatterns,
    *imports.urlpatterns,
    *watch.urlpatterns,
]

urlpatterns = [
    path("", include("audit.urls")),
    path("", include((registry_patterns, "registry"))),
    path("", include("catalog.urls")),
    path("lifecycle/", include("lifecycle.urls")),
    path("organizations/", include("organizations.urls")),
    path("texts/", include("texts.urls")),
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
