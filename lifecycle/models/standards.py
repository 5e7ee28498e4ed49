"""What follows publication: implementation plans (7.5.2) and periodic reviews (7.2.5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import tracked
from catalog.models import Standard
from lifecycle.choices import PeriodicConclusion


class ImplementationPlan(models.Model):
    """实施计划: scope, people and schedule of putting a published standard to work."""

    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="implementation_plans",
        verbose_name=_("standard"),
    )
    scope = models.TextField(_("scope"))
    people = models.TextField(_("people"))
    schedule = models.TextField(_("schedule and requirements"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = tracked()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")

    def __str__(self):
        return f"{self.standard.number} {self.starts_on}"


class PeriodicReview(models.Model):
    """复审: confirm, revise (opens a revision project) or withdraw a current standard."""

    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="periodic_reviews",
        verbose_name=_("standard"),
    )
    conclusion = models.CharField(_("conclusion"), max_length=16,
                                  choices=PeriodicConclusion.choices)
    reason = models.TextField(_("reason"))
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("reviewed by"),
    )
    revision_project = models.ForeignKey(
        "lifecycle.Project", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("revision project"),
    )
    history = tracked()

    class Meta:
        ordering = ["-reviewed_on"]
        verbose_name = _("periodic review")
        verbose_name_plural = _("periodic reviews")

    def __str__(self):
        return f"{self.standard.number} {self.reviewed_on} {self.get_conclusion_display()}"
