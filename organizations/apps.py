from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    """The units that keep a standard system (a prefecture bureau, its county agencies), and
    who works in which with what role (clause 6.2.4, docs/domain.md "Organizations").

    Sits between ``audit`` and ``catalog``: everything a unit's work makes is scoped by an
    organization, so the organization is beneath all of it."""

    name = "organizations"
    verbose_name = _("Organizations")

    # Only administrators change organizations and memberships; everyone with a role reads.
    # Whose record each tracked model's audit log lines are (audit/log.py).
    log_organizations = {"membership": "organization_id"}
    office_editable = ()
    history_models = ("organization", "membership")
