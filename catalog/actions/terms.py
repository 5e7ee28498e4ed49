"""Writes of the terms area (clause 3)."""

from audit.actions import SaveInstance
from catalog.models import Standard


class SaveTerm(SaveInstance):
    """Add or change a term (from the term form): adding takes an optional reason, changing
    needs one. The source as written resolves to the catalog's entry (the latest edition
    when undated), or to none."""

    def _execute(self):
        term = self.instance
        reference = term.source_reference
        term.source = Standard.objects.resolve(reference) if reference else None
        return self.save(term)
