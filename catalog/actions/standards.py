"""Writes of the standards area: a standard with its supersessions, references and the
amendment marks its number was entered with. An amendment on its own (the amendment form,
the admin) is one record: ``audit.actions.SaveInstance`` saves it.

Adding takes an optional reason (the history says "created"); changing needs one
(``audit.actions.SaveInstance``)."""

from audit.actions import SaveInstance
from catalog.actions.relations import set_cites, set_replaces
from catalog.models import Amendment


class SaveStandard(SaveInstance):
    """Add or change ``standard`` (from the standard form), make it replace exactly
    ``replaces`` and reference exactly ``cites``, and record the amendment marks its number
    was entered with (``…/XG1-2019``)."""

    def __init__(self, user, standard, reason="", *, replaces=(), cites=(), amendments=()):
        super().__init__(user, standard, reason)
        self.replaces, self.cites, self.amendments = replaces, cites, amendments

    def _execute(self):
        standard = self.save(self.instance)
        set_replaces(self, standard, self.replaces)
        set_cites(self, standard, self.cites)
        for mark in self.amendments:
            record_amendment(self, standard, mark)
        return standard


def record_amendment(action, standard, mark):
    """Add amendment ``mark`` (a ``catalog.rules.numbers.AmendmentMark``) to ``standard`` unless
    it is recorded; a year learnt later fills the one left blank. Runs inside ``action``."""
    amendment = Amendment.objects.filter(standard=standard, sequence=mark.sequence).first()
    if amendment is None:
        amendment = Amendment(standard=standard, sequence=mark.sequence, year=mark.year,
                              style=mark.style)
    elif amendment.year is None and mark.year is not None:
        amendment.year = mark.year
    else:
        return amendment
    action.save(amendment)
    return amendment
