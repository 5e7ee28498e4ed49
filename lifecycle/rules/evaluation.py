"""Clauses 8.2–8.3 rules: the default evaluation template's criteria, the weighted total,
what an evaluation must hold and the standards whose latest evaluation calls for
improvement. The writes are in ``lifecycle.actions.evaluation``.

The criteria and weights follow GB/T 24421.4 in spirit; admins change them in the
administration (a new default template is then used for new evaluations, while each
evaluation keeps the template and scores it was made with).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Standard
from catalog.models.choices import Status
from lifecycle.models import Evaluation

DEFAULT_TEMPLATE_NAME = "默认评价模板"
DEFAULT_THRESHOLD = Decimal("80")
# (criterion, weight, guidance): data in the bureau's language, like node names.
DEFAULT_CRITERIA = [
    ("标准实施覆盖率", Decimal("30"),
     "应执行该标准的部门、窗口和业务环节中已按标准执行的比例。"),
    ("监督检查符合情况", Decimal("30"),
     "评价期内监督检查的符合程度，及发现的不符合项数量和严重程度。"),
    ("服务对象满意度", Decimal("25"),
     "服务对象对按标准提供的服务的满意程度（满意度调查、评价器、投诉情况）。"),
    ("改进措施落实", Decimal("15"),
     "不符合项的纠正措施和以往评价提出的改进措施按期落实的情况。"),
]
TENTH = Decimal("0.1")


def weighted_total(scores):
    """Σ(weight × score) / Σweight, rounded half up to 0.1.

    ``scores`` holds (weight, score) pairs; weights need not add up to 100."""
    pairs = [(Decimal(str(weight)), Decimal(str(score))) for weight, score in scores]
    weights = sum((weight for weight, _score in pairs), Decimal(0))
    if weights <= 0:
        raise ValueError("weighted_total needs at least one positive weight")
    total = sum((weight * score for weight, score in pairs), Decimal(0)) / weights
    return total.quantize(TENTH, rounding=ROUND_HALF_UP)


def validate_evaluated_on(day):
    if day and day > timezone.localdate():
        raise ValidationError(_("The evaluation date cannot be in the future."))


def is_current(standard):
    """Only standards in force are evaluated (like the checks, which only offer them)."""
    return Standard.objects.with_status().filter(
        pk=standard.pk, computed_status=Status.CURRENT).exists()


def not_current_message(standard):
    return _("%(number)s is not in force (%(status)s): only current standards are "
             "evaluated.") % {"number": standard.number, "status": standard.status.label}


def check_current(standard):
    """Refuse evaluating a standard that is not current (withdrawn, superseded, upcoming or
    in development)."""
    if not is_current(standard):
        raise ValidationError(not_current_message(standard))


def latest_evaluations():
    """The id of each standard's latest evaluation (by date, then by entry), as a subquery."""
    return (Evaluation.objects.filter(standard=OuterRef("pk"))
            .order_by("-evaluated_on", "-pk"))


def below_threshold():
    """Current standards whose LATEST evaluation's total is below that evaluation's
    template threshold, annotated with ``latest_evaluation_id``, ``latest_total``,
    ``latest_threshold`` and ``latest_evaluated_on``; one query. Withdrawn and superseded
    standards are no longer implemented, so they are not listed."""
    latest = latest_evaluations()
    return (
        # Only standards that have an evaluation are looked at: the catalog may hold
        # thousands that were never evaluated.
        Standard.objects.filter(pk__in=Evaluation.objects.values("standard_id"))
        .with_status().filter(computed_status=Status.CURRENT).annotate(
            latest_evaluation_id=Subquery(latest.values("pk")[:1]),
            latest_total=Subquery(latest.values("total")[:1]),
            latest_threshold=Subquery(latest.values("template__threshold")[:1]),
            latest_evaluated_on=Subquery(latest.values("evaluated_on")[:1]),
        )
        .filter(latest_evaluation_id__isnull=False, latest_total__lt=F("latest_threshold"))
        .order_by("latest_total", "number")
    )


def chart(evaluations, width=640, height=220, pad=36):
    """Coordinates for a small SVG line chart of totals over time (oldest first).

    Returns None for no evaluations; otherwise the polyline's points, one dot per
    evaluation with its label, the y of the threshold line(s) and the axis ticks."""
    rows = sorted(evaluations, key=lambda e: (e.evaluated_on, e.pk))
    if not rows:
        return None
    first, last = rows[0].evaluated_on, rows[-1].evaluated_on
    span = max((last - first).days, 1)
    plot_w, plot_h = width - 2 * pad, height - 2 * pad

    def x_of(day):
        if first == last:
            return pad + plot_w / 2
        return pad + plot_w * (day - first).days / span

    def y_of(value):
        return pad + plot_h * (1 - float(value) / 100)

    dots = [{"x": round(x_of(e.evaluated_on), 1), "y": round(y_of(e.total), 1),
             "total": e.total, "day": e.evaluated_on, "pk": e.pk,
             "below": e.total < e.template.threshold} for e in rows]
    thresholds = sorted({e.template.threshold for e in rows})
    return {
        "width": width, "height": height, "pad": pad, "right": width - pad,
        "bottom": height - pad,
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "thresholds": [{"value": t, "y": round(y_of(t), 1)} for t in thresholds],
        "ticks": [{"value": v, "y": round(y_of(v), 1)} for v in (0, 50, 100)],
        "first": first, "last": last,
    }
