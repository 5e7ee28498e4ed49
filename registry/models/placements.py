"""Placing catalog standards on nodes of the standard system."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import tracked
from catalog.models import Standard

from .nodes import Node


class Placement(models.Model):
    """A catalog standard placed on a node of the system (标准体系表 row).

    The catalog knows nothing of the tree; this is the link. A standard may sit on several
    nodes, a node may hold several standards. A node with placements cannot be deleted.
    """

    node = models.ForeignKey(
        Node, on_delete=models.PROTECT, related_name="placements", verbose_name=_("node")
    )
    standard = models.ForeignKey(
        Standard, on_delete=models.PROTECT, related_name="placements",
        verbose_name=_("standard"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    # The office's order of the standards on this node (1, 2, …); unset, the table's reading
    # order applies (registry.table_data.ordered). Nullable: added to a tracked model.
    position = models.PositiveIntegerField(_("position"), null=True, blank=True)
    created_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    history = tracked()

    class Meta:
        ordering = ["node__path", "standard__number"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(
                fields=["node", "standard"], name="registry_placement_unique",
                violation_error_message=_("This standard is already placed on this node."),
            ),
        ]

    def __str__(self):
        return f"{self.standard.number} @ {self.node.code}"
