"""The five roles of clause 5 (``organizations.models.Role``, held per organization) and
their permissions in one table, kept as one Django group per role.

Groups are (re)synchronised after every ``migrate`` (``SetRolePermissions`` in
``registry.actions.accounts``), so a fresh database — a test database included — always
has them. Views check these permissions on the server.
"""

from django.apps import apps
from django.contrib.auth.models import Permission
from django.db.models import Q

from organizations.models import Role

ADMIN, OFFICE, LEAD, EXPERT, VIEWER = (Role.ADMIN.value, Role.OFFICE.value, Role.LEAD.value,
                                       Role.EXPERT.value, Role.VIEWER.value)

ROLE_LABELS = dict(Role.choices)


def editable_models():
    """What each app lets the office edit: ``{app label: (model name, …)}``.

    Each app declares it on its ``AppConfig`` as ``office_editable``; the apps that declare
    it (even as empty) are the domain apps whose permissions the roles cover."""
    return {
        config.label: tuple(config.office_editable)
        for config in apps.get_app_configs()
        if hasattr(config, "office_editable")
    }


def _view_all():
    return Permission.objects.filter(
        content_type__app_label__in=editable_models(), codename__startswith="view_"
    )


def _office():
    editable = editable_models()
    allowed = Q(pk__in=[])
    for app_label, models in editable.items():
        allowed |= Q(
            content_type__app_label=app_label,
            codename__in=[f"{action}_{model}" for model in models
                          for action in ("add", "change", "delete", "view")],
        )
    return _view_all() | Permission.objects.filter(allowed)


def _admin():
    # Users and roles (auth), and the security log and its lockouts (axes).
    return Permission.objects.filter(
        content_type__app_label__in=(*editable_models(), "auth", "axes")
    )


ROLE_PERMISSIONS = {
    ADMIN: _admin,
    OFFICE: _office,
    LEAD: _view_all,
    EXPERT: _view_all,
    VIEWER: _view_all,
}
