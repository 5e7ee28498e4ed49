"""Django's own password views, under their usual names (outside the accounts namespace),
with the project's templates (templates/registration/); their forms say that a new
password revokes the user's API tokens (events.py revokes them)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from registry.accounts.forms import RegistryPasswordChangeForm, RegistrySetPasswordForm

urlpatterns = [
    path("password_change/", auth_views.PasswordChangeView.as_view(
        form_class=RegistryPasswordChangeForm, success_url=reverse_lazy("password_change_done")),
        name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        form_class=RegistrySetPasswordForm),
         name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
