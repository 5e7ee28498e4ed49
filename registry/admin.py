from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.forms import SafeTextMixin
from organizations.models import Role
from registry.actions.accounts import SaveUser, SetUserPassword, acting_user
from registry.models import Node, Placement


@admin.register(Node)
class NodeAdmin(SimpleHistoryAdmin):
    """Read-only: tree changes go through the registry's actions so they keep a reason."""

    list_display = ["code", "name", "clause", "depth"]
    search_fields = ["code", "name", "name_en"]
    readonly_fields = ["path", "depth", "numchild"]
    ordering = ["path"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Placement)
class PlacementAdmin(NodeAdmin):
    list_display = ["standard", "node", "note", "created_at"]
    search_fields = ["standard__number", "node__code", "node__name"]
    readonly_fields = []
    ordering = ["node__path"]


User = get_user_model()
admin.site.unregister(User)


class UserPasswordForm(SafeTextMixin, AdminPasswordChangeForm):
    """An administrator's new password for a user, set through ``SetUserPassword``; says that
    it revokes the user's API tokens (``registry.actions.accounts``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["password2"]
        field.help_text = f"{field.help_text} " + str(_(
            "Saving a new password revokes all of this user's API tokens."))

    def save(self, commit=True):
        # Django's password page gives its form no request: the acting administrator is the
        # request's user, as the audit log's receivers read it.
        return SetUserPassword(acting_user(), self.user,
                               self.cleaned_data["password1"]).execute()


@admin.register(User)
class RegistryUserAdmin(UserAdmin):
    """The accounts area's administration of users, through ``SaveUser`` and
    ``SetUserPassword``. Users are deactivated, never deleted: their names stay on the
    history they wrote."""

    change_password_form = UserPasswordForm

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # The role groups are the roles' permission sets: roles are held per
            # organization and given on the organizations pages (organizations.views).
            kwargs["queryset"] = Group.objects.exclude(name__in=Role.values)
            kwargs["help_text"] = _("Roles are held per organization: give them on the "
                                    "organization's members page.")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        SaveUser(request.user, obj, form).execute()

    def save_related(self, request, form, formsets, change):
        # The groups were saved with the user by ``SaveUser``; a user has no inlines.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request, obj=None):
        return False
