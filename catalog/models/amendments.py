"""Amendments (修改单) of a published standard: ``GB 7258—2017/XG1—2019`` is amendment No. 1,
of 2019, to GB 7258—2017. An amendment belongs to its standard: the standard keeps its
number, and the amendment is listed on its page."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import tracked
from catalog.models.standards import Standard
from catalog.rules import numbers


class Amendment(models.Model):
    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="amendments",
        verbose_name=_("standard"),
    )
    sequence = models.PositiveSmallIntegerField(_("amendment No."))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # How the number writes it: XG1—2019 (Chinese), +A1:2011 (EN), /Amd 1:2024 (ISO).
    style = models.CharField(max_length=3, default="XG", editable=False)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    implemented_on = models.DateField(_("implementation date"), null=True, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)

    history = tracked()

    class Meta:
        ordering = ["standard", "sequence"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "sequence"], name="catalog_amendment_unique",
                violation_error_message=_("This amendment is already recorded."),
            ),
        ]

    def __str__(self):
        return self.display

    def get_absolute_url(self):
        return self.standard.get_absolute_url()

    @property
    def mark(self) -> numbers.AmendmentMark:
        return numbers.AmendmentMark(self.sequence, self.year, self.style)

    @property
    def display(self) -> str:
        """The standard's number with this amendment: ``GB 7258—2017/XG1—2019``."""
        international = self.standard.parsed_number.is_international
        return self.standard.number + self.mark.display(international)
