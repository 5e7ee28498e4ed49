"""A standard's text: a project's draft (clause 7.3.2) or a published standard's text."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.history import tracked
from organizations.rules import CurrentOrganizationId


class TextQuerySet(models.QuerySet):
    def readable(self):
        """What the organization acted in may read: its own texts, and the texts of the
        catalog standards it can see (published standards are common, a Q/ standard is its
        owner's)."""
        here = CurrentOrganizationId()
        return self.filter(
            Q(organization=here)
            | Q(standard__isnull=False, standard__owner__isnull=True)
            | Q(standard__owner=here))

    def editable(self):
        """What it may change: its own texts only."""
        return self.filter(organization=CurrentOrganizationId())


class Text(models.Model):
    """The cover data of a standard's text (GB/T 1.1-2020 8.1); the 前言, clauses, annexes
    and 参考文献 are its ``parts``. A project's text is linked from the project
    (``lifecycle``, above this app); a published standard's from ``standard``."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organization"))
    standard = models.OneToOneField(
        "catalog.Standard", on_delete=models.PROTECT, null=True, blank=True,
        related_name="text", verbose_name=_("published standard"))
    number = models.CharField(_("standard number"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    ics = models.CharField(_("ICS"), max_length=32, blank=True)
    ccs = models.CharField(_("CCS"), max_length=32, blank=True)
    record_number = models.CharField(_("record number (备案号)"), max_length=32, blank=True)
    replaces = models.CharField(_("replaces"), max_length=255, blank=True)
    adoption = models.CharField(_("adoption"), max_length=255, blank=True,
                                help_text=_("For example (ISO 9001:2015, IDT)."))
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    implemented_on = models.DateField(_("implementation date"), null=True, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=255, blank=True)
    stage = models.CharField(_("draft stage"), max_length=32, blank=True,
                             help_text=_("征求意见稿, 送审稿 or 报批稿; empty when published."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = tracked()

    objects = TextQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("standard text")
        verbose_name_plural = _("standard texts")

    def __str__(self):
        return " ".join(p for p in (self.number, self.title) if p) or str(_("Untitled text"))

    def get_absolute_url(self):
        return reverse("texts:text", args=[self.pk])
