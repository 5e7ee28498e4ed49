"""The pages' permissions, for the API: a view names ``permission_required`` (a
permission or a tuple of them, all needed; None: any logged-in user), as the pages'
``PermissionMixin`` does. A user with no role is refused, as the pages refuse them; a
read-only token may only read."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from audit.mixins import has_role
from audit.models import ApiToken


class PagePermission(BasePermission):
    message = _("You do not have permission to do this.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        refused = getattr(request._request, "organization_refused", None)
        if refused:  # ?organization= names one the user cannot act in (organizations.api)
            self.message = refused
            return False
        if not has_role(user):
            self.message = _("Your account has no role yet. Ask an administrator for one.")
            return False
        if request.method not in SAFE_METHODS and isinstance(request.auth, ApiToken) \
                and request.auth.read_only and not getattr(view, "changes_nothing", False):
            self.message = _("This token is read-only.")
            return False
        wanted = view.get_permission_required() if hasattr(
            view, "get_permission_required") else getattr(view, "permission_required", None)
        if not wanted:
            return True
        wanted = (wanted,) if isinstance(wanted, str) else tuple(wanted)
        return user.has_perms(wanted)
