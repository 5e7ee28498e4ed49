"""Writes of the standards area: a standard with its supersessions, references and the
amendment marks its number was entered with. An amendment on its own (the amendment form,
the admin) is one record: ``audit.actions.SaveInstance`` saves it.

Adding takes an optional reason (the history says "created"); changing needs one
(``audit.actions.SaveInstance``)."""

from django.utils.translation import gettext as _

from audit.actions import ActionError, SaveInstance
from catalog.actions.relations import set_cites, set_replaces
from catalog.models import Amendment
from catalog.rules.numbers import ORGANIZATION, parse_standard_number
from organizations.rules import current_organization


def owner_for(number, organization=None):
    """Who a standard with ``number`` belongs to: an organization standard (Q/…) to the
    organization publishing it (default: the one acted in); every other one to no one (the
    catalog of published standards is shared)."""
    if parse_standard_number(number).level != ORGANIZATION:
        return None
    return organization or current_organization()


def check_owner(standard, organization=None):
    """Refuse writing ``standard`` from ``organization`` (default: the one acted in) when it
    is another organization's Q/ standard, or a shared one given an owner."""
    organization = organization or current_organization()
    if standard.owner_id is not None and parse_standard_number(
            standard.number).level != ORGANIZATION:
        raise ActionError(_("Only an organization standard (Q/…) belongs to an "
                            "organization; %(number)s is shared by all.")
                          % {"number": standard.number})
    if standard.owner_id is not None and (organization is None
                                          or standard.owner_id != organization.pk):
        raise ActionError(_("%(number)s is another organization's own standard.")
                          % {"number": standard.number})


class SaveStandard(SaveInstance):
    """Add or change ``standard`` (from the standard form), make it replace exactly
    ``replaces`` and reference exactly ``cites``, and record the amendment marks its number
    was entered with (``…/XG1-2019``)."""

    def __init__(self, user, standard, reason="", *, replaces=(), cites=(), amendments=()):
        super().__init__(user, standard, reason)
        self.replaces, self.cites, self.amendments = replaces, cites, amendments

    def check(self):
        super().check()
        if self.instance.pk is not None:
            # The owner as stored: a forged form cannot claim another's Q/ standard.
            stored = type(self.instance).unscoped.filter(pk=self.instance.pk).first()
            if stored is not None:
                check_owner(stored)
        for other in (*self.replaces, *self.cites):
            check_owner(other)

    def _execute(self):
        # A Q/ number belongs to the organization acted in; any other is shared.
        self.instance.owner = owner_for(self.instance.number)
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
