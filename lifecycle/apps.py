from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from registry.rules.comparison_columns import ComparisonColumn
from registry.rules.documents import JobDocument
from registry.rules.links import Link


def _in_force(standard):
    return standard.computed_status == "current"


class LifecycleConfig(AppConfig):
    """Standardization work (DB 6523/T 370-2023 clauses 5, 7 and 8): the organization, its
    people, work rules and plans, and the information library (clause 5); projects that
    carry a standard from proposal through publication to periodic review (clause 7); the
    supervision and evaluation of implementation (clause 8).

    One app organized by area, with the same area names in every package (``models``,
    ``rules``, ``actions``, ``forms``, ``views``, ``urls``, templates and tests):
    ``projects``, ``organization``, ``work``, ``information``, ``supervision``,
    ``evaluation``, plus the cross-area pages ``tasks`` and ``dashboard``. Every write is an
    action (``lifecycle.actions``, on ``audit.actions.Action``); the state machine is
    ``lifecycle.models.workflow``."""

    name = "lifecycle"
    verbose_name = _("Lifecycle")

    # What the office may add, change and delete (registry.rules.roles reads it). Departments
    # and evaluation templates decide who approves and how standards are scored, so they
    # stay with admins.
    # Whose record each tracked model's audit log lines are (audit/log.py): its own
    # organization, or that of the record it belongs to.
    log_organizations = {
        **dict.fromkeys(("evaluation", "informationitem", "department", "staffprofile",
                         "trainingrecord", "project", "implementationplan",
                         "periodicreview", "implementationcheck", "workrule", "yearplan"),
                        "organization_id"),
        **dict.fromkeys(("projectmember", "reviewassignment", "comment", "objection",
                         "projectevent", "document"), "project.organization_id"),
        "evaluationtemplate": ("organization_id", "common"),
        "criterion": ("template.organization_id", "common"),
        "score": "evaluation.organization_id",
        "informationnode": "item.organization_id",
        "informationstandard": "item.organization_id",
        "nonconformity": "check_record.organization_id",
        "planitem": "plan.organization_id",
    }
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
    # The buttons and links this app puts on a standard's and a node's page (registry.rules.links).
    object_links = {
        "catalog.standard": (
            Link("actions", "lifecycle:implementationplan_add", _("Implementation plan"),
                    "lifecycle.add_implementationplan"),
            Link("actions", "lifecycle:periodicreview_add", _("Periodic review"),
                    "lifecycle.add_periodicreview", when=_in_force),
            Link("actions", "lifecycle:implementationcheck_add", _("Record a check"),
                    "lifecycle.add_implementationcheck", query="standard",
                 html_id="standard-check-add", when=_in_force),
            Link("actions", "lifecycle:evaluation_add", _("Evaluate this standard"),
                    "lifecycle.add_evaluation", html_id="standard-evaluate", when=_in_force),
            Link("records", "lifecycle:implementationcheck_list", _("Implementation checks"),
                    "lifecycle.view_implementationcheck", query="standard",
                 html_id="standard-checks"),
            Link("records", "lifecycle:evaluation_list", _("Evaluations"),
                    "lifecycle.view_evaluation", query="standard", html_id="standard-evaluations"),
            Link("records", "lifecycle:informationitem_list", _("Information library"),
                    "lifecycle.view_informationitem", query="standard",
                 html_id="standard-information"),
        ),
        "registry.node": (
            Link("actions", "lifecycle:project_add", _("Open a project"),
                    "lifecycle.add_project", query="node", html_id="action-project"),
        ),
    }

    # PDFs laid out by a worker on the PDF queue, as export jobs (registry.rules.documents).
    job_documents = (
        JobDocument("lifecycle.comment_table", _("Comment resolution table"),
                    "lifecycle.view_comment", "lifecycle.rules.exports.comment_table_document"),
        JobDocument("lifecycle.dashboard", _("Dashboard"), "lifecycle.view_project",
                    "lifecycle.rules.exports.dashboard_document"),
        # The differences between two versions of a project's text (clause 7.3.2).
        JobDocument("lifecycle.comparison_pdf", _("Differences between drafts (PDF)"),
                    "lifecycle.view_project", "lifecycle.rules.drafts.comparison_pdf"),
        JobDocument("lifecycle.comparison_docx", _("Differences between drafts (Word)"),
                    "lifecycle.view_project", "lifecycle.rules.drafts.comparison_docx",
                    extension="docx", pdf=False),
    )

    # Columns of the comparison of organizations (registry.rules.comparison): each counts
    # per organization in one query, with the rule the project and corrective-action lists
    # filter "overdue" by.
    comparison_columns = (
        ComparisonColumn("overdue_projects", _("Overdue projects"),
                         "lifecycle.rules.projects.overdue_projects_by_organization"),
        ComparisonColumn("overdue_corrective_actions", _("Overdue corrective actions"),
                         "lifecycle.rules.supervision.overdue_actions_by_organization"),
    )

    def ready(self):
        # Receivers import the actions and the tasks, so only once the apps are ready.
        from lifecycle import receivers  # noqa: F401 - connects the signal receivers
