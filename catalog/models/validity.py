"""标准有效性查新: a kept validity check, so a review meeting can cite what it said."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.history import tracked
from organizations.scoping import InOrganization


class ValiditySource(models.TextChoices):
    TEXT = "text", _("Pasted text")
    FILE = "file", _("Uploaded file")


class ValidityCheck(models.Model):
    """One run of the validity check: the lines as they were that day (the catalog may
    change after), who ran it and when. The organization's own record."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("checked by"))
    created_at = models.DateTimeField(_("checked at"), auto_now_add=True)
    checked_on = models.DateField(_("status as of"))
    source = models.CharField(_("source"), max_length=8, choices=ValiditySource.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    lines = models.JSONField(_("lines"), default=list, editable=False)
    counts = models.JSONField(_("counts"), default=dict, editable=False)

    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        verbose_name = _("validity check")
        verbose_name_plural = _("validity checks")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("Validity check %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("catalog:validity_detail", args=[self.pk])

    @property
    def out_of_force(self):
        """Lines whose standard is superseded or withdrawn."""
        return self.counts.get("superseded", 0) + self.counts.get("withdrawn", 0)
