"""The leaders' dashboard: every figure in one call, in a constant number of queries.

Coverage reuses the registry's own counting (``registry.rules.tree.rows.build_rows``: three queries
whatever the size, an aspect is a gap while no current standard is placed on it). The rest
are one query each: projects by stage, non-conformities, information items, standards
below their evaluation threshold (``lifecycle.evaluations.below_threshold``) and the
reviews due this year (``lifecycle.rules.projects.DueReviews``). Nothing
here runs a query per standard, node or row.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from audit.params import id_from
from lifecycle.choices import FINAL_STAGES, ActionStatus, InformationStatus, Stage
from lifecycle.models import InformationItem, NonConformity, Project
from lifecycle.rules import evaluation as evaluations
from lifecycle.rules.projects import DueReviews
from registry.models import Node, NodeKind
from registry.rules.tree.rows import build_rows
from registry.rules.tree.scope import nodes

# The stages a project can be in while it is under way, as the workflow orders them.
OPEN_STAGES = [stage for stage in Stage if stage not in FINAL_STAGES]
# Steps whose period ends by date: the project should have moved on once the date passed.
PERIOD_END = {Stage.COMMENT: "comment_ends_on", Stage.PUBLIC_NOTICE: "notice_ends_on"}
MOST_GAPS = 5


@dataclass
class Coverage:
    """One node's coverage, as the registry counts it (``TreeRow``).

    ``aspects`` are the slots under the node (the aspect nodes), ``covered`` those with a
    current standard; ``standards``/``current`` the placed standards. 应有 (expected) and
    现有 (existing) follow the statistics table (``registry.rules.tree.table_data.statistics``)."""

    node: Node
    aspects: int = 0
    covered: int = 0
    standards: int = 0
    current: int = 0
    subsystem: Node | None = None

    @property
    def gaps(self):
        return self.aspects - self.covered

    @property
    def percent(self):
        """Covered aspects in %, or None when the node has no aspects."""
        return round(100 * self.covered / self.aspects, 1) if self.aspects else None

    @property
    def expected(self):
        return self.standards + self.gaps

    @property
    def existing(self):
        return self.current

    @property
    def existing_percent(self):
        """现有/应有 in %, rounded as the statistics table rounds it."""
        return round(100 * self.existing / self.expected, 1) if self.expected else None


@dataclass
class StageCount:
    stage: Stage
    total: int = 0
    overdue: int = 0          # planned end passed
    period_ended: int = 0     # comment period or public notice ended, still in that stage

    @property
    def label(self):
        return self.stage.label

    @property
    def on_time(self):
        return self.total - self.overdue


@dataclass
class Figures:
    root: Node
    today: date
    total: Coverage
    subsystems: list = field(default_factory=list)     # [Coverage]
    categories: list = field(default_factory=list)     # [Coverage], tree order
    stages: list = field(default_factory=list)         # [StageCount], workflow order
    projects_open: int = 0
    projects_overdue: int = 0
    steps_overdue: list = field(default_factory=list)  # [Project]: periods ended
    reviews_due: int = 0
    reviews_overdue: int = 0
    nonconformities_open: int = 0
    nonconformities_overdue: int = 0
    information_needs_action: int = 0
    below_threshold: int = 0

    @property
    def most_gaps(self):
        """The categories with the most gaps, worst first."""
        ranked = sorted((c for c in self.categories if c.gaps),
                        key=lambda c: (-c.gaps, c.node.path))
        return ranked[:MOST_GAPS]


def default_root(root_id=None):
    """The system the dashboard shows: the root asked for, or the organization's first."""
    roots = nodes().filter(depth=1)
    if root_id and id_from(root_id) is None:
        raise Http404("No such system.")
    root = (roots.filter(pk=id_from(root_id)).first() if root_id
            else roots.order_by("path").first())
    if root is None:
        raise Http404("No standard system has been loaded yet.")
    return root


def coverage(root):
    """Coverage of the whole system, per subsystem and per category (three queries)."""
    rows = build_rows(root, plain=True)
    by_path = {}
    for row in rows:
        if row.node.kind != NodeKind.ASPECT:
            by_path[row.node.path] = Coverage(node=row.node, standards=row.standards,
                                              current=row.current)
    steplen = root.steplen
    for row in rows:
        node = row.node
        if node.kind != NodeKind.ASPECT:
            continue
        for end in range(steplen, node.depth * steplen, steplen):
            owner = by_path.get(node.path[:end])
            if owner is not None:
                owner.aspects += 1
                owner.covered += not row.is_gap
    subsystems, categories = [], []
    for item in by_path.values():
        if item.node.kind == NodeKind.SUBSYSTEM:
            subsystems.append(item)
        elif item.node.kind == NodeKind.CATEGORY:
            item.subsystem = by_path[item.node.path[:-steplen]].node
            categories.append(item)
    return by_path[root.path], subsystems, categories


def project_figures(today):
    """Open projects by stage, with those past their planned end and those whose comment
    period or public notice has ended (one query), and the ended steps (one query)."""
    period_ended = Q()
    for stage, date_field in PERIOD_END.items():
        period_ended |= Q(stage=stage, **{f"{date_field}__lt": today})
    counts = {
        row["stage"]: row for row in
        Project.objects.exclude(stage__in=FINAL_STAGES).order_by().values("stage").annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(planned_end__lt=today)),
            period_ended=Count("pk", filter=period_ended),
        )
    }
    stages = [StageCount(stage, **{key: counts.get(stage, {}).get(key, 0)
                                   for key in ("total", "overdue", "period_ended")})
              for stage in OPEN_STAGES]
    steps = list(Project.objects.filter(period_ended).select_related("node", "department")
                 .order_by("comment_ends_on", "notice_ends_on", "pk"))
    return stages, steps


def nonconformity_figures(today):
    return NonConformity.objects.filter(status=ActionStatus.OPEN).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))


def dashboard_figures(root=None, today=None):
    """All the dashboard's figures for the system under ``root``."""
    today = today or timezone.localdate()
    root = root or default_root()
    total, subsystems, categories = coverage(root)
    stages, steps = project_figures(today)
    due = DueReviews(until=today.replace(month=12, day=31)).dates()
    nonconformities = nonconformity_figures(today)
    return Figures(
        root=root, today=today, total=total, subsystems=subsystems, categories=categories,
        stages=stages,
        projects_open=sum(s.total for s in stages),
        projects_overdue=sum(s.overdue for s in stages),
        steps_overdue=steps,
        reviews_due=len(due),
        reviews_overdue=sum(due_on < today for due_on in due),
        nonconformities_open=nonconformities["open"],
        nonconformities_overdue=nonconformities["overdue"],
        information_needs_action=InformationItem.objects.filter(
            status=InformationStatus.NEEDS_ACTION).count(),
        # The evaluation area's own rule (latest evaluation under its template's threshold).
        below_threshold=evaluations.below_threshold().count(),
    )
