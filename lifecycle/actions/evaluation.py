"""Writes of the evaluation area (clauses 8.2–8.3): the default template, recording an
evaluation with its scores and deleting one entered by mistake."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import Action
from lifecycle.actions import in_organization
from lifecycle.models import Criterion, Evaluation, EvaluationTemplate, Score
from lifecycle.rules.evaluation import (
    DEFAULT_CRITERIA,
    DEFAULT_TEMPLATE_NAME,
    DEFAULT_THRESHOLD,
    check_current,
    validate_evaluated_on,
    weighted_total,
)
from registry.actions.seed import system_user


class SeedDefaultTemplate(Action):
    """Create 默认评价模板 (threshold 80) with its criteria, or make it the default again
    when an admin left no template the default. Anyone who evaluates may cause it."""

    reason_required = False

    def __init__(self, user):
        super().__init__(user)

    def _execute(self):
        template = EvaluationTemplate.objects.filter(name=DEFAULT_TEMPLATE_NAME).first()
        if template is not None:
            template.is_default = True
            self.reason = _("Default evaluation template restored")
            return self.save(template)
        self.reason = _("Default evaluation template created")
        template = self.save(in_organization(EvaluationTemplate(
            name=DEFAULT_TEMPLATE_NAME, is_default=True, threshold=DEFAULT_THRESHOLD)))
        for position, (name, weight, guidance) in enumerate(DEFAULT_CRITERIA, start=1):
            self.save(Criterion(template=template, name=name, weight=weight,
                                guidance=guidance, position=position))
        return template


def default_template(user=None):
    """The template new evaluations use. On first use it is created, with its criteria;
    the history names ``user`` or the system account."""
    template = EvaluationTemplate.objects.filter(is_default=True).first()
    if template is not None:
        return template
    try:
        return SeedDefaultTemplate(user or system_user()).execute()
    except IntegrityError:
        # Someone else created the default at the same moment: use theirs.
        return EvaluationTemplate.objects.get(is_default=True)


class AddEvaluation(Action):
    """Save one Evaluation and a Score per criterion of ``template`` in one transaction.

    ``scores`` maps each Criterion to (score, note). Every criterion of the template must be
    scored 0–100, the date may not be in the future, the conclusion is required and the
    standard must be current."""

    permission = "lifecycle.add_evaluation"
    permission_message = gettext_lazy("You may not record evaluations.")
    reason_required = False
    default_reason = gettext_lazy("Evaluation recorded")

    def __init__(self, user, standard, template, scores, evaluated_on, conclusion):
        super().__init__(user)
        self.standard, self.template, self.scores = standard, template, scores
        self.evaluated_on, self.conclusion = evaluated_on, conclusion

    def check(self):
        super().check()
        check_current(self.standard)
        self.criteria = list(self.template.criteria.all())
        if not self.criteria:
            raise ValidationError(_("The template %(name)s has no criteria; an administrator "
                                    "must add some first.") % {"name": self.template.name})
        errors = {}
        try:
            validate_evaluated_on(self.evaluated_on)
        except ValidationError as exc:
            errors["evaluated_on"] = exc.messages
        if not (self.conclusion or "").strip():
            errors["conclusion"] = [_("Write the conclusion of the evaluation.")]
        self.given = {criterion.pk: value for criterion, value in self.scores.items()}
        for criterion in self.criteria:
            score = self.given.get(criterion.pk, (None, ""))[0]
            if score is None:
                errors[f"score_{criterion.pk}"] = [_("Score this criterion.")]
            elif not Decimal(0) <= Decimal(str(score)) <= Decimal(100):
                errors[f"score_{criterion.pk}"] = [_("A score is between 0 and 100.")]
        if set(self.given) - {criterion.pk for criterion in self.criteria}:
            errors.setdefault("__all__", []).append(
                _("A score was given for a criterion that is not in the template."))
        if errors:
            raise ValidationError(errors)

    def _execute(self):
        given = self.given
        total = weighted_total((c.weight, given[c.pk][0]) for c in self.criteria)
        evaluation = self.save(in_organization(Evaluation(
            standard=self.standard, template=self.template, evaluated_on=self.evaluated_on,
            evaluated_by=self.user, total=total, conclusion=self.conclusion.strip(),
        )))
        for criterion in self.criteria:
            score, note = given[criterion.pk]
            self.save(Score(evaluation=evaluation, criterion=criterion,
                            score=Decimal(str(score)), note=(note or "").strip()))
        return evaluation


class DeleteEvaluation(Action):
    """Delete an evaluation entered by mistake, its scores first, each with its own history
    row naming the user and the reason (required)."""

    permission = "lifecycle.delete_evaluation"
    permission_message = gettext_lazy("You may not delete evaluations.")
    reason_error_field = "reason"

    def __init__(self, user, evaluation, reason=""):
        super().__init__(user, reason)
        self.evaluation = evaluation

    def _execute(self):
        for score in Score.objects.filter(evaluation=self.evaluation).order_by("pk"):
            self.delete(score)
        self.delete(self.evaluation)


class CopyEvaluationTemplate(Action):
    """Copy a template with its criteria under a free name "… (copy)": the way to change a
    template that evaluations already use (administration only)."""

    permission = "lifecycle.add_evaluationtemplate"
    reason_required = False

    def __init__(self, user, template):
        super().__init__(user)
        self.template = template

    def _execute(self):
        template = self.template
        self.reason = _("Copied in the administration from %(name)s") % {"name": template.name}
        name = _("%(name)s (copy)") % {"name": template.name}
        while EvaluationTemplate.objects.filter(name=name).exists():
            name = _("%(name)s (copy)") % {"name": name}
        copy = self.save(EvaluationTemplate(name=name[:100], threshold=template.threshold,
                                            organization=template.organization))
        for criterion in template.criteria.all():
            self.save(Criterion(template=copy, name=criterion.name, weight=criterion.weight,
                                guidance=criterion.guidance, position=criterion.position))
        return copy


class SetDefaultTemplate(Action):
    """Make ``template`` the one new evaluations use; the previous default stops being it
    (each with a history row). The template's own save follows in the administration."""

    permission = "lifecycle.change_evaluationtemplate"

    def __init__(self, user, template, reason):
        super().__init__(user, reason)
        self.template = template

    def _execute(self):
        others = EvaluationTemplate.objects.filter(is_default=True)
        if self.template.pk:
            others = others.exclude(pk=self.template.pk)
        for old in others:
            old.is_default = False
            self.save(old)
        self.template.is_default = True
        return self.template
