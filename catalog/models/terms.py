"""Terms and definitions (术语和定义), as clause 3 of a standard gives them."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.history import tracked

from .standards import Standard


class Term(models.Model):
    """A defined term. One concept, one term (7.1.2): the term is unique.

    ``defined_in`` is the standard whose clause 3 lists it; ``source`` is where the
    definition comes from (``[来源: GB/T 1.1-2020, 5.2]``), kept as written and resolved to
    the catalog entry when the catalog holds it.
    """

    term = models.CharField(
        _("term"), max_length=128, unique=True,
        error_messages={
            "unique": _("This term is already defined: one concept, one term."),
        },
    )
    term_en = models.CharField(_("English term"), max_length=128, blank=True)
    definition = models.TextField(_("definition"))
    note = models.TextField(_("note"), blank=True)
    defined_in = models.ForeignKey(
        Standard, on_delete=models.PROTECT, null=True, blank=True, related_name="terms",
        verbose_name=_("defined in"),
    )
    clause = models.CharField(_("clause"), max_length=16, blank=True)
    source_reference = models.CharField(_("source (as written)"), max_length=64, blank=True)
    source_clause = models.CharField(_("source clause"), max_length=16, blank=True)
    source = models.ForeignKey(
        Standard, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="sourced_terms", verbose_name=_("source standard"),
    )
    history = tracked()

    class Meta:
        ordering = ["clause", "term"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("catalog:term_detail", args=[self.pk])

    @property
    def source_display(self):
        parts = [p for p in (self.source_reference, self.source_clause) if p]
        return ", ".join(parts)
