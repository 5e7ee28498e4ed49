"""Templates and tailoring (clause 6.2.4, docs/domain.md "Templates and tailoring").

A **template** is a frozen standard system with an edition: the built-in one is Appendix A
of DB 6523/T 370-2023 exactly as seeded; an organization may publish its own system as a
template for its children. An organization's system is **derived** from a template: every
node remembers the template node it came from (``Node.template_node``). What the
organization then cuts (删减), adds (扩充), renames or moves is a **tailoring** record, with
who, when and why; the tailoring report compares the system with its template.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import tracked


class Template(models.Model):
    """A frozen tree that systems are derived from; its nodes never change."""

    edition = models.CharField(_("edition"), max_length=64, unique=True,
                               help_text=_("The built-in template's edition is its "
                                           "standard's number, DB6523/T 370-2023."))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    # None: built in (loaded from fixtures/); else the organization that published it.
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="templates",
                                     verbose_name=_("published by"))
    # The edition this one follows (a new edition of the same template).
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="next_editions",
                                 verbose_name=_("previous edition"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = tracked()

    class Meta:
        ordering = ["organization_id", "edition"]
        verbose_name = _("template")
        verbose_name_plural = _("templates")
        permissions = [("derive_system", _("Can derive an organization's system from a "
                                           "template"))]

    def __str__(self):
        return self.edition


class TemplateNode(models.Model):
    """One node of a template, as frozen: its place (parent, position), code and names."""

    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="nodes",
                                 verbose_name=_("template"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent"))
    position = models.PositiveIntegerField(_("position"))
    depth = models.PositiveSmallIntegerField(_("depth"))
    code = models.CharField(_("system code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    clause = models.CharField(_("seed clause"), max_length=32, blank=True)
    # The same aspect in the edition this one follows (None: new in this edition, or a
    # first edition). Nullable: added to a tracked model.
    previous_node = models.ForeignKey("self", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="next_nodes",
                                      verbose_name=_("in the previous edition"))
    history = tracked()

    class Meta:
        ordering = ["template", "depth", "position"]
        verbose_name = _("template node")
        verbose_name_plural = _("template nodes")
        constraints = [models.UniqueConstraint(fields=["template", "code"],
                                               name="registry_templatenode_code_once")]

    def __str__(self):
        return f"{self.code} {self.name}"


class TailoringKind(models.TextChoices):
    REMOVED = "removed", _("Removed (删减)")
    ADDED = "added", _("Added (扩充)")
    RENAMED = "renamed", _("Renamed")
    MOVED = "moved", _("Moved")
    RESTORED = "restored", _("Restored")


class TailoringReason(models.TextChoices):
    """Why a template aspect is removed (clause 6.2.4): the short list the report counts."""

    NOT_APPLICABLE = "not_applicable", _("Not applicable to this unit")
    MERGED = "merged", _("Merged into another aspect")
    OTHER_AGENCY = "other_agency", _("Handled by another agency")
    OTHER = "other", _("Other")


class Tailoring(models.Model):
    """One deviation of an organization's system from its template, as it was made: who,
    when (``created_by``, ``created_at``) and why (``why`` from the short list for a
    removal, ``reason`` in words). ``template_node`` is the template aspect concerned (None
    for an addition); ``code`` and ``name`` the node as it was then."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    kind = models.CharField(_("kind"), max_length=16, choices=TailoringKind.choices)
    template_node = models.ForeignKey(TemplateNode, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+",
                                      verbose_name=_("template node"))
    code = models.CharField(_("system code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    why = models.CharField(_("why"), max_length=20, choices=TailoringReason.choices,
                           blank=True)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    history = tracked()

    class Meta:
        ordering = ["organization", "created_at", "pk"]
        verbose_name = _("tailoring")
        verbose_name_plural = _("tailoring")

    def __str__(self):
        return f"{self.get_kind_display()} {self.code} {self.name}"


class ProposalKind(models.TextChoices):
    ADDED = "added", _("Added in the new edition")
    REMOVED = "removed", _("Removed in the new edition")
    RENAMED = "renamed", _("Renamed in the new edition")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class EditionProposal(models.Model):
    """One change of a template's new edition (``template``) offered to one organization
    whose system follows the edition before: an aspect added (``new_node``), removed
    (``old_node``) or renamed (both). Its administrators accept or decline it, with a
    reason; until then nothing in their system changes (docs/domain.md)."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organization"))
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="proposals",
                                 verbose_name=_("new edition"))
    kind = models.CharField(_("change"), max_length=16, choices=ProposalKind.choices)
    old_node = models.ForeignKey(TemplateNode, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+",
                                 verbose_name=_("in the previous edition"))
    new_node = models.ForeignKey(TemplateNode, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+",
                                 verbose_name=_("in the new edition"))
    status = models.CharField(_("status"), max_length=16, choices=ProposalStatus.choices,
                              default=ProposalStatus.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    history = tracked()

    class Meta:
        ordering = ["organization", "template", "pk"]
        verbose_name = _("edition proposal")
        verbose_name_plural = _("edition proposals")

    def __str__(self):
        node = self.new_node or self.old_node
        return f"{self.get_kind_display()} {node}"
