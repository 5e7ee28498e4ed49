"""Clause 5.4: the information library of collected standardization information."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.history import tracked
from catalog.models import Standard
from lifecycle.choices import InformationCategory, InformationStatus
from organizations.scoping import InOrganization
from registry.models import Node

from .files import Attachment


class InformationItem(Attachment):
    """A piece of standardization information: a new or changed standard, a policy notice,
    another region's practice. Staff mark it "needs action" and may open a revision
    project from it."""

    title = models.CharField(_("title"), max_length=255)
    category = models.CharField(_("category"), max_length=16,
                                choices=InformationCategory.choices)
    source = models.CharField(_("source"), max_length=200)
    published_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    # Comma-separated, normalised by the form; searched with the text filter.
    tags = models.CharField(_("tags"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=InformationStatus.choices,
                              default=InformationStatus.NEW)
    nodes = models.ManyToManyField(Node, through="InformationNode", related_name="+",
                                   blank=True, verbose_name=_("nodes concerned"))
    standards = models.ManyToManyField(Standard, through="InformationStandard",
                                       related_name="information_items", blank=True,
                                       verbose_name=_("standards concerned"))
    revision_project = models.ForeignKey(
        "lifecycle.Project", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("revision project"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("collected by"))
    created_at = models.DateTimeField(_("collected at"), auto_now_add=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    history = tracked()
    # The organization acted in only (organizations.scoping).
    objects = InOrganization()

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("information item")
        verbose_name_plural = _("information items")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lifecycle:informationitem_detail", args=[self.pk])

    @property
    def tag_list(self):
        return [tag for tag in self.tags.split(",") if tag]


class InformationNode(models.Model):
    """Which nodes an information item concerns (a through model, so links have history)."""

    item = models.ForeignKey(InformationItem, on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    history = tracked()
    # Scoped through its item (organizations.scoping).
    objects = InOrganization.through("item__organization")

    class Meta:
        verbose_name = _("node concerned")
        verbose_name_plural = _("nodes concerned")
        constraints = [models.UniqueConstraint(fields=["item", "node"],
                                               name="lifecycle_information_node_unique")]

    def __str__(self):
        return f"{self.item_id} → {self.node_id}"


class InformationStandard(models.Model):
    """Which standards an information item concerns."""

    item = models.ForeignKey(InformationItem, on_delete=models.CASCADE, related_name="+")
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="+")
    history = tracked()
    # Scoped through its item (organizations.scoping).
    objects = InOrganization.through("item__organization")

    class Meta:
        verbose_name = _("standard concerned")
        verbose_name_plural = _("standards concerned")
        constraints = [models.UniqueConstraint(fields=["item", "standard"],
                                               name="lifecycle_information_standard_unique")]

    def __str__(self):
        return f"{self.item_id} → {self.standard_id}"
