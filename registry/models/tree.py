"""The standard system (标准体系) as a tree of nodes, one tree per organization; the catalog
standards placed on its nodes; and the compilation notes (编制说明) of each system."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from audit.chained import ChainedHistory
from audit.history import tracked
from catalog.models import Standard


class NodeKind(models.TextChoices):
    """A node's kind follows from its depth: the tree of Appendix A has four levels."""

    ROOT = "root", _("System")
    SUBSYSTEM = "subsystem", _("Subsystem")
    CATEGORY = "category", _("Category")
    ASPECT = "aspect", _("Aspect")


KIND_BY_DEPTH = {1: NodeKind.ROOT, 2: NodeKind.SUBSYSTEM, 3: NodeKind.CATEGORY}


class NodeHistory(ChainedHistory):
    """A node's history row records where the node stood, as a person means it: its parent
    and its position among its siblings (not treebeard's materialised path)."""

    parent_node_id = models.BigIntegerField(_("parent"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), null=True, blank=True)

    class Meta:
        abstract = True


class Node(MP_Node):
    """One node of a standard system.

    The root is the organization's system (社会保险服务标准体系); below it the three
    subsystems of clause 6 (基础通用标准, 服务提供标准, 服务保障标准), their categories
    (6.3.x, 6.4.x, 6.5.x) and the aspects each category lists: slots for which the
    organization should collect or write a standard. Standards are placed on nodes
    (``Placement``); an aspect with no current standard is a gap.

    ``code`` is the system code (体系编号). Codes are stable: assigned once on creation and
    kept on rename and reorder; a move re-codes the moved subtree under its new parent.
    ``clause`` keeps the seed clause (e.g. ``6.4.6``) as provenance.

    Change the tree only through ``registry.actions`` so every change is checked, audited
    and given a reason.
    """

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    code = models.CharField(_("system code"), max_length=32, db_index=True)
    clause = models.CharField(_("seed clause"), max_length=32, blank=True)
    description = models.TextField(_("description"), blank=True)
    # 备注 of the node's row in the system table (an open aspect's "to be drafted by …").
    # Nullable: added to a tracked model (docs/architecture.md).
    remarks = models.CharField(  # noqa: DJ001
        _("remarks"), max_length=255, blank=True, null=True)
    organization = models.CharField(
        _("organization"), max_length=200, blank=True,
        help_text=_("Set on the root only: whose system this is."),
    )
    # Added after the first release: nullable, as every field added to a tracked model.
    organization_en = models.CharField(  # noqa: DJ001
        _("organization in English"), max_length=200, null=True, blank=True,
        help_text=_("Set on the root only: shown on the cover of the English system table."),
    )

    # The organization whose system this node belongs to (every node of one tree has its
    # root's). Named ``owner``: ``organization`` above is the root's name as printed on the
    # system table's cover, older than organizations and part of signed history.
    owner = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                              related_name="nodes", verbose_name=_("organization"))

    # The template node it was derived from (None: an extension, 扩充, or a system that was
    # not derived). Nullable: added to a tracked model.
    template_node = models.ForeignKey("registry.TemplateNode", on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+",
                                      verbose_name=_("template node"))

    node_order_by = []  # siblings keep the order people give them
    # path/depth/numchild are treebeard's bookkeeping, not something a person changes.
    history = tracked(bases=[NodeHistory], excluded_fields=["path", "depth", "numchild"])

    class Meta:
        verbose_name = _("node")
        verbose_name_plural = _("nodes")
        permissions = [("export_system_table", _("Can export the system table"))]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("registry:node_detail", args=[self.pk])

    @property
    def kind(self):
        return KIND_BY_DEPTH.get(self.depth, NodeKind.ASPECT)

    def get_kind_display(self):
        return self.kind.label

    @property
    def root_path(self):
        return self.path[: self.steplen]


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
    # order applies (registry.rules.tree.table_data.ordered). Nullable: added to a tracked model.
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


class CompilationNotes(models.Model):
    """The compilation notes of one system (its root), versioned like everything else."""

    root = models.OneToOneField(Node, on_delete=models.CASCADE, related_name="notes",
                                verbose_name=_("system"))
    text = models.TextField(_("compilation notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = tracked()

    class Meta:
        verbose_name = _("compilation notes")
        verbose_name_plural = _("compilation notes")

    def __str__(self):
        return str(_("Compilation notes of %(system)s") % {"system": self.root.name})
