"""编制说明: the office's free text that goes with the system table."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import tracked

from .nodes import Node


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
