from django.urls import path

from registry.accounts import views

app_name = "accounts"

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
