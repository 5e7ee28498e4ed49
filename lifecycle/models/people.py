"""Departments: who drafts a standard and whose lead decides on it (7.3.1.1, 7.4.1)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.history import tracked


class Department(models.Model):
    """A department of the unit. Its lead approves the proposals and publications of the
    organization-level projects it drafts."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="led_departments", verbose_name=_("department lead"),
    )
    duties = models.TextField(_("duties in standardization"), blank=True)
    history = tracked()

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name
