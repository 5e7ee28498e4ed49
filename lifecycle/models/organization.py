"""Clause 5.1–5.2: the standardization body and departments, and the people who do
standardization work, with their roles, duties and training."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.forms import user_display
from audit.history import tracked
from lifecycle.choices import DepartmentRole, StaffRole
from organizations.scoping import InOrganization

from .files import Attachment


class Department(models.Model):
    """A department of the unit. Its lead approves the proposals and publications of the
    organization-level projects it drafts. One department may be the standardization body
    (or the lead department that coordinates standardization work)."""

    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role in standardization"), max_length=20,
                            choices=DepartmentRole.choices, default=DepartmentRole.DEPARTMENT)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="led_departments", verbose_name=_("department lead"),
    )
    duties = models.TextField(_("duties in standardization"), blank=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"],
                                    name="lifecycle_department_name_unique",
                                    violation_error_message=_("A department with this name "
                                                              "already exists.")),
            models.UniqueConstraint(
                fields=["organization", "role"], condition=~Q(role=DepartmentRole.DEPARTMENT),
                name="lifecycle_department_one_body",
                violation_error_message=_("The unit has only one standardization body or "
                                          "lead coordinating department."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("lifecycle:department_detail", args=[self.pk])


class StaffProfile(models.Model):
    """A user's place in one organization's standardization work: department, role and
    written duties. One per user and organization: a person may work in two units, with a
    different department and role in each."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="staff_profiles", verbose_name=_("user"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="staff",
                                   verbose_name=_("department"))
    role = models.CharField(_("standardization role"), max_length=16, choices=StaffRole.choices,
                            default=StaffRole.NONE)
    duties = models.TextField(_("duties"), blank=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"],
                                    name="lifecycle_staffprofile_once"),
        ]

    def __str__(self):
        return user_display(self.user)

    def get_absolute_url(self):
        return reverse("lifecycle:staffprofile_detail", args=[self.user_id])


class TrainingRecord(Attachment):
    """One course a person attended (5.2), with the certificate as an optional file."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="training_records", verbose_name=_("person"))
    course = models.CharField(_("course"), max_length=200)
    attended_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    provider = models.CharField(_("provider"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        ordering = ["-attended_on"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="lifecycle_training_hours",
                                   violation_error_message=_("Hours must be more than 0.")),
        ]

    def __str__(self):
        return f"{self.course} {self.attended_on}"
