"""Clause 8.1: implementation checks, the non-conformities they find and the corrective
action each one gets, tracked to closure with evidence."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.history import tracked
from catalog.models import Standard
from lifecycle.choices import ActionStatus, CheckResult
from organizations.scoping import InOrganization

from .files import Attachment
from .organization import Department


class ImplementationCheck(models.Model):
    """监督检查: who checked which standard where and when, and what they found."""

    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="checks",
                                 verbose_name=_("standard"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="checks",
                                   verbose_name=_("department checked"))
    location = models.CharField(_("service window or place"), max_length=200, blank=True)
    checked_on = models.DateField(_("checked on"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("checked by"))
    other_inspectors = models.CharField(_("other inspectors"), max_length=200, blank=True)
    findings = models.TextField(_("findings"))
    result = models.CharField(_("result"), max_length=16, choices=CheckResult.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("implementation check")
        verbose_name_plural = _("implementation checks")
        constraints = [
            models.CheckConstraint(
                condition=~Q(department__isnull=True, location=""),
                name="lifecycle_check_names_place",
                violation_error_message=_("Name the department or the service window checked."),
            ),
        ]

    def __str__(self):
        return f"{self.standard.number} {self.checked_on}"

    def get_absolute_url(self):
        return reverse("lifecycle:implementationcheck_detail", args=[self.pk])


class NonConformity(Attachment):
    """不符合项 and its corrective action (纠正措施): owner, due date, closure with evidence.
    The attachment is the evidence file given on closing."""

    check_record = models.ForeignKey(ImplementationCheck, on_delete=models.PROTECT,
                                     related_name="nonconformities",
                                     verbose_name=_("check"))
    description = models.TextField(_("non-conformity"))
    action = models.TextField(_("corrective action"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="corrective_actions", verbose_name=_("owner"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=8, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)
    evidence = models.TextField(_("evidence of closure"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("closed by"))
    history = tracked()
    # Scoped through its check (organizations.scoping).
    objects = InOrganization.through("check_record__organization")

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("non-conformity")
        verbose_name_plural = _("non-conformities")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ActionStatus.OPEN)
                | (~Q(evidence="") & Q(closed_on__isnull=False)),
                name="lifecycle_nonconformity_closed_with_evidence",
                violation_error_message=_("A corrective action is closed only with evidence."),
            ),
        ]

    def __str__(self):
        return self.description[:60]

    def get_absolute_url(self):
        return reverse("lifecycle:nonconformity_detail", args=[self.pk])

    @property
    def is_overdue(self):
        return self.status == ActionStatus.OPEN and self.due_on < timezone.localdate()
