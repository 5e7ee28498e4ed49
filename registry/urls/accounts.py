"""The accounts area's pages under /accounts/: its own (``accounts:`` names) and Django's
password views under their usual names, outside the namespace, with the project's templates
(templates/registration/); their forms say that a new password revokes the user's API
tokens (``registry.actions.accounts`` revokes them)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from registry.views import accounts as views

urlpatterns = [
    path("", views.AccountView.as_view(), name="account"),
    path("confirm/", views.confirm, name="confirm"),
    path("no-role/", views.no_role, name="no_role"),
    path("security-log/", views.SecurityLogView.as_view(), name="security_log"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/qr.svg", views.two_factor_qr, name="two_factor_qr"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", views.two_factor_codes, name="two_factor_codes"),
    path("two-factor/remove/", views.two_factor_disable, name="two_factor_disable"),
]

password_patterns = [
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
