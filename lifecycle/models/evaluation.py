"""Clauses 8.2–8.3: evaluating how a standard is implemented, with a scored template
(criteria and weights) that admins configure, per GB/T 24421.4."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.history import tracked
from catalog.models import Standard
from organizations.scoping import InOrganization


class EvaluationTemplate(models.Model):
    """A set of weighted criteria. New evaluations use the default template; evaluations
    keep the template (and its scores) they were made with."""

    name = models.CharField(_("name"), max_length=100)
    is_default = models.BooleanField(_("default template"), default=False)
    threshold = models.DecimalField(
        _("improvement threshold"), max_digits=5, decimal_places=1, default=Decimal("80"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Standards whose latest total is below this are listed for improvement."),
    )
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("evaluation template")
        verbose_name_plural = _("evaluation templates")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"],
                                    name="lifecycle_template_name_unique",
                                    violation_error_message=_("A template with this name "
                                                              "already exists.")),
            models.UniqueConstraint(fields=["organization", "is_default"],
                                    condition=Q(is_default=True),
                                    name="lifecycle_template_one_default",
                                    violation_error_message=_("Only one template is the "
                                                              "default.")),
        ]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """One criterion of a template, scored 0 to 100 and weighted."""

    template = models.ForeignKey(EvaluationTemplate, on_delete=models.CASCADE,
                                 related_name="criteria", verbose_name=_("template"))
    name = models.CharField(_("criterion"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=1,
                                 validators=[MinValueValidator(Decimal("0.1"))])
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = tracked()
    # Scoped through its template (organizations.scoping).
    objects = InOrganization.through("template__organization")

    class Meta:
        ordering = ["template", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.name


class Evaluation(models.Model):
    """One evaluation of a standard's implementation: scores per criterion, their weighted
    total (stored, so lists need no arithmetic) and a conclusion."""

    standard = models.ForeignKey(Standard, on_delete=models.PROTECT,
                                 related_name="evaluations", verbose_name=_("standard"))
    template = models.ForeignKey(EvaluationTemplate, on_delete=models.PROTECT,
                                 related_name="evaluations", verbose_name=_("template"))
    evaluated_on = models.DateField(_("evaluated on"))
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("evaluated by"))
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=1)
    conclusion = models.TextField(_("conclusion"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        ordering = ["-evaluated_on", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.standard.number} {self.evaluated_on} {self.total}"

    def get_absolute_url(self):
        return reverse("lifecycle:evaluation_detail", args=[self.pk])


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores",
                                   verbose_name=_("evaluation"))
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("criterion"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = tracked()
    # Scoped through its evaluation (organizations.scoping).
    objects = InOrganization.through("evaluation__organization")

    class Meta:
        ordering = ["criterion__position", "criterion__pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"],
                                    name="lifecycle_score_unique"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100),
                                   name="lifecycle_score_range",
                                   violation_error_message=_("A score is between 0 and 100.")),
        ]

    def __str__(self):
        return f"{self.criterion} {self.score}"
