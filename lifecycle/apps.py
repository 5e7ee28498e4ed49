from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from registry.links import Link


def _in_force(standard):
    return standard.computed_status == "current"


class LifecycleConfig(AppConfig):
    """Projects that carry a standard from proposal to periodic review (clause 7)."""

    name = "lifecycle"
    verbose_name = _("Lifecycle")

    # What the office may add, change and delete (registry.roles reads it). Departments
    # and evaluation templates decide who approves and how standards are scored, so they
    # stay with admins.
    office_editable = (
        "project", "projectmember", "reviewassignment", "document", "comment", "objection",
        "implementationplan", "periodicreview",
        # clause 5: people, rules, plans, information
        "staffprofile", "trainingrecord", "workrule", "yearplan", "planitem",
        "informationitem", "informationnode", "informationstandard",
        # clause 8: checks, corrective actions, evaluations
        "implementationcheck", "nonconformity", "evaluation", "score",
    )
    # Every tracked model of the app has a history page (/history/lifecycle.<model>/<pk>/).
    history_models = "__all__"
    # The buttons and links this app puts on a standard's and a node's page (registry.links).
    object_links = {
        "catalog.standard": (
            Link("actions", "lifecycle:implementation_plan", _("Implementation plan"),
                 "lifecycle.add_implementationplan"),
            Link("actions", "lifecycle:periodic_review", _("Periodic review"),
                 "lifecycle.add_periodicreview", when=_in_force),
            Link("actions", "lifecycle:check_add", _("Record a check"),
                 "lifecycle.add_implementationcheck", query="standard",
                 html_id="standard-check-add", when=_in_force),
            Link("actions", "lifecycle:evaluation_add", _("Evaluate this standard"),
                 "lifecycle.add_evaluation", html_id="standard-evaluate", when=_in_force),
            Link("records", "lifecycle:checks", _("Implementation checks"),
                 "lifecycle.view_implementationcheck", query="standard",
                 html_id="standard-checks"),
            Link("records", "lifecycle:evaluations", _("Evaluations"),
                 "lifecycle.view_evaluation", query="standard", html_id="standard-evaluations"),
            Link("records", "lifecycle:information_list", _("Information library"),
                 "lifecycle.view_informationitem", query="standard",
                 html_id="standard-information"),
        ),
        "registry.node": (
            Link("actions", "lifecycle:project_add", _("Open a project"),
                 "lifecycle.add_project", query="node", html_id="action-project"),
        ),
    }

    def ready(self):
        from lifecycle import receivers  # noqa: F401 - connects the signal receivers
