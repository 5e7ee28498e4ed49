"""Clause 5.3: the unit's standardization rules and its yearly standardization plan."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.history import tracked
from organizations.scoping import InOrganization
from registry.models import Node

from .files import Attachment
from .projects import Project

# The base node the rules belong on: 6.3.1.2 标准化导则 in Appendix A.
RULES_NODE_NAME = "标准化导则"


class WorkRule(Attachment):
    """A standardization rule of the unit (管理制度), kept as a document on a node of the
    system — by default the 标准化导则 node of the base standards."""

    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("document number"), max_length=64, blank=True)
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="work_rules",
                             verbose_name=_("node"))
    effective_on = models.DateField(_("effective from"))
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        ordering = ["-effective_on", "title"]
        verbose_name = _("work rule")
        verbose_name_plural = _("work rules")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lifecycle:workrule_detail", args=[self.pk])


class YearPlan(models.Model):
    """年度标准化工作计划: the projects planned for one year."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly plan")
        verbose_name_plural = _("yearly plans")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"],
                                    name="lifecycle_yearplan_year_unique",
                                    violation_error_message=_("This year already has a "
                                                              "plan.")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lifecycle:yearplan_detail", args=[self.year])


class PlanItem(models.Model):
    """A line of the yearly plan: a project (or one still to be proposed) and its target."""

    plan = models.ForeignKey(YearPlan, on_delete=models.CASCADE, related_name="items",
                             verbose_name=_("plan"))
    title = models.CharField(_("title"), max_length=255)
    node = models.ForeignKey(Node, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("node"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="plan_items", verbose_name=_("project"))
    target_on = models.DateField(_("target date"))
    notes = models.TextField(_("notes"), blank=True)
    history = tracked()
    # Scoped through its plan (organizations.scoping).
    objects = InOrganization.through("plan__organization")

    class Meta:
        ordering = ["target_on", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self):
        return self.title
