"""Reference watch: when a standard is superseded or withdrawn, what depends on it needs a
look — the standards that cite it and the nodes it sits on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import tracked
from catalog.models import Standard

from .tree import Node


class ReviewFlag(models.Model):
    """"Needs review": ``cause`` was superseded or withdrawn, and ``standard`` cites it or
    ``node`` holds it. Open until someone decides."""

    class Decision(models.TextChoices):
        CONFIRM = "confirm", _("Confirm: still fine as it is")
        REPLACE = "replace", _("Replace the reference with its successor")
        REVISE = "revise", _("Revise (open a revision project)")

    cause = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="flags_caused",
                              verbose_name=_("superseded or withdrawn standard"))
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="review_flags", verbose_name=_("citing standard"))
    node = models.ForeignKey(Node, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="review_flags", verbose_name=_("node"))
    event = models.CharField(_("what happened"), max_length=200)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices,
                                blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = tracked()

    class Meta:
        ordering = ["decision", "-raised_at"]
        verbose_name = _("review flag")
        verbose_name_plural = _("review flags")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(standard__isnull=False) | models.Q(node__isnull=False),
                name="registry_reviewflag_has_subject",
            ),
        ]

    def __str__(self):
        subject = self.standard.number if self.standard_id else f"{self.node}"
        return f"{subject} ← {self.cause.number}"

