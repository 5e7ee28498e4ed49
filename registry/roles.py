"""The five roles of clause 5 as Django groups, with their permissions in one table.

Groups are (re)synchronised after every ``migrate``, so a fresh database — a test database
included — always has them. Views check these permissions on the server.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

ADMIN, OFFICE, LEAD, EXPERT, VIEWER = "admin", "office", "lead", "expert", "viewer"

ROLE_LABELS = {
    ADMIN: _("Standardization administrator"),
    OFFICE: _("Standardization office staff"),
    LEAD: _("Department lead"),
    EXPERT: _("Expert"),
    VIEWER: _("Viewer"),
}

DOMAIN_APPS = ("audit", "catalog", "registry", "lifecycle")
EDITABLE_MODELS = {
    "catalog": ("standard", "supersession", "citation", "term"),
    "registry": ("node", "placement", "compilationnotes", "reviewflag"),
    "lifecycle": ("project", "projectmember", "reviewassignment", "document", "comment",
                  "objection", "implementationplan", "periodicreview",
                  # clause 5: people, rules, plans, information (departments and their
                  # leads decide who approves, so they stay with admins)
                  "staffprofile", "trainingrecord", "workrule", "yearplan", "planitem",
                  "informationitem", "informationnode", "informationstandard",
                  # clause 8: checks, corrective actions, evaluations (templates: admins)
                  "implementationcheck", "nonconformity", "evaluation", "score"),
}


def _view_all():
    return Permission.objects.filter(
        content_type__app_label__in=DOMAIN_APPS, codename__startswith="view_"
    )


def _office():
    codenames = [
        f"{action}_{model}"
        for models in EDITABLE_MODELS.values()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    return _view_all() | Permission.objects.filter(
        content_type__app_label__in=EDITABLE_MODELS, codename__in=codenames
    )


def _admin():
    return Permission.objects.filter(
        content_type__app_label__in=(*DOMAIN_APPS, "auth")
    )


ROLE_PERMISSIONS = {
    ADMIN: _admin,
    OFFICE: _office,
    LEAD: _view_all,
    EXPERT: _view_all,
    VIEWER: _view_all,
}


def sync_roles(**kwargs):
    """Create the role groups and set exactly the permissions the table gives them."""
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(permissions())
