"""Clause 5.3 rules: work rules (管理制度) and the yearly plan's progress.

A plan item's progress follows the stage of its project, read from the ISO harmonized
stage code: 10 (proposal) 10 %, 20 (drafting) 25 %, 40 (comment) 50 %, 50 (review and
approval) 75 %, 60.60 (published) 100 %. A rejected or terminated project is "stopped";
an item without a project is "not started" (0 %). An item is overdue when its target date
has passed and it is not published.
"""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lifecycle.choices import FINAL_STAGES, ISO_CODES, Stage
from lifecycle.models import PlanItem, Project, YearPlan
from lifecycle.models.work import RULES_NODE_NAME
from registry.rules.tree.scope import nodes

# Percent done by the major part of the ISO stage code.
PROGRESS_BY_STAGE_CODE = {"10": 10, "20": 25, "40": 50, "50": 75, "60": 100}
STOPPED_STAGES = (Stage.REJECTED, Stage.TERMINATED)

NOT_STARTED, IN_PROGRESS, PUBLISHED, STOPPED = "not_started", "in_progress", "published", "stopped"
STATUS_LABELS = {
    NOT_STARTED: gettext_lazy("Not started"),
    IN_PROGRESS: gettext_lazy("In progress"),
    PUBLISHED: gettext_lazy("Published"),
    STOPPED: gettext_lazy("Stopped"),
}


def stage_progress(stage):
    """Percent done for a project at ``stage``; None when the project was stopped."""
    if stage in STOPPED_STAGES:
        return None
    return PROGRESS_BY_STAGE_CODE[ISO_CODES[Stage(stage)].split(".")[0]]


def item_status(item):
    project = item.project
    if project is None:
        return NOT_STARTED
    if project.stage == Stage.PUBLISHED:
        return PUBLISHED
    if project.stage in STOPPED_STAGES:
        return STOPPED
    return IN_PROGRESS


@dataclass
class ItemRow:
    """A plan item as the plan page shows it."""

    item: PlanItem
    status: str
    progress: int | None
    overdue: bool

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def stopped(self):
        return self.status == STOPPED


def item_row(item, today=None):
    today = today or timezone.localdate()
    status = item_status(item)
    progress = 0 if item.project is None else stage_progress(item.project.stage)
    return ItemRow(item=item, status=status, progress=progress,
                   overdue=status != PUBLISHED and item.target_on < today)


def summary(rows):
    """Counts for a plan: items, and how many are published, in progress, not started,
    stopped and overdue."""
    counts = Counter(row.status for row in rows)
    return {"items": len(rows), "published": counts[PUBLISHED],
            "in_progress": counts[IN_PROGRESS], "not_started": counts[NOT_STARTED],
            "stopped": counts[STOPPED], "overdue": sum(row.overdue for row in rows)}


def plan_items(plan):
    """The items of a plan with what the page shows of them, in one query."""
    return plan.items.select_related("project", "node", "project__node")


def plannable_projects(year):
    """Projects a plan item may point at: every open project, and the finished ones
    opened in the plan's year or the year before."""
    return (Project.objects.filter(~Q(stage__in=FINAL_STAGES) | Q(created_at__year__gte=year - 1))
            .select_related("node").order_by("title", "pk"))


def default_rules_node():
    """The 标准化导则 node (6.3.1.2 in Appendix A), the usual home of work rules."""
    return nodes().filter(name=RULES_NODE_NAME).order_by("path").first()


def repealed_filter(today=None):
    """Rules repealed by ``today`` (default: today)."""
    return Q(repealed_on__lte=today or timezone.localdate())


def current_rule_filter(today=None):
    """Rules in force: effective on or before ``today`` and not repealed by then."""
    today = today or timezone.localdate()
    return Q(effective_on__lte=today) & ~repealed_filter(today)


def upcoming_rule_filter(today=None):
    """Rules that take effect after ``today`` (a rule is never repealed before it takes
    effect, so these are not repealed either)."""
    return Q(effective_on__gt=today or timezone.localdate())


# --- checks -------------------------------------------------------------------------------


def check_rule_dates(effective_on, repealed_on):
    if effective_on and repealed_on and repealed_on < effective_on:
        raise ValidationError(_("A rule cannot be repealed before it takes effect."))


def check_target(plan, target_on):
    if target_on.year != plan.year:
        raise ValidationError(_("The target date must fall within %(year)s, the plan's year.")
                              % {"year": plan.year})


def check_year_free(year, plan=None):
    taken = YearPlan.objects.filter(year=year)
    if plan is not None and plan.pk:
        taken = taken.exclude(pk=plan.pk)
    if taken.exists():
        raise ValidationError(_("There is already a plan for %(year)s.") % {"year": year})


def next_plan_year(today=None):
    """The year a new plan is most likely for: the first without a plan from this year on."""
    year = (today or timezone.localdate()).year
    taken = set(YearPlan.objects.filter(year__gte=year).values_list("year", flat=True))
    while year in taken:
        year += 1
    return year

