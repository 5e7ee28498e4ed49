"""Changes to the catalog, one class each, on the audit trail's ``Action``: the permission
and the reason are checked first, the change runs in one transaction, and every row it
writes (the standard or term, each supersession and reference) carries the user and the
reason. The pages, the shell and other apps call the same actions.

Adding a record takes an optional reason (the history says "created"); editing one needs a
reason."""

from audit.actions import Action
from catalog.models import Amendment
from catalog.relations import set_cites, set_replaces


class _Save(Action):
    """Save ``instance`` (unsaved changes, e.g. from a form) with the user and the reason."""

    def __init__(self, user, instance, reason=""):
        super().__init__(user, reason)
        self.instance = instance

    def _execute(self):
        self.record(self.instance).save()
        return self.instance


class _SaveStandard(_Save):
    """Also make the standard replace exactly ``replaces`` and reference exactly ``cites``,
    and record the amendment marks its number was entered with (``…/XG1-2019``)."""

    def __init__(self, user, standard, reason="", *, replaces=(), cites=(), amendments=()):
        super().__init__(user, standard, reason)
        self.replaces, self.cites, self.amendments = replaces, cites, amendments

    def _execute(self):
        standard = super()._execute()
        set_replaces(self, standard, self.replaces)
        set_cites(self, standard, self.cites)
        for mark in self.amendments:
            record_amendment(self, standard, mark)
        return standard


class AddStandard(_SaveStandard):
    permission, reason_required = "catalog.add_standard", False


class EditStandard(_SaveStandard):
    permission = "catalog.change_standard"


class AddTerm(_Save):
    permission, reason_required = "catalog.add_term", False


class EditTerm(_Save):
    permission = "catalog.change_term"


class AddAmendment(_Save):
    """Record an amendment (修改单) of a standard, e.g. built from ``GB 7258-2017/XG1-2019``."""

    permission, reason_required = "catalog.add_amendment", False


class EditAmendment(_Save):
    permission = "catalog.change_amendment"


def record_amendment(action, standard, mark):
    """Add amendment ``mark`` (a ``catalog.numbers.Amendment``) to ``standard`` unless it is
    recorded; a year learnt later fills the one left blank. Runs inside ``action``."""
    amendment = Amendment.objects.filter(standard=standard, sequence=mark.sequence).first()
    if amendment is None:
        amendment = Amendment(standard=standard, sequence=mark.sequence, year=mark.year,
                              style=mark.style)
    elif amendment.year is None and mark.year is not None:
        amendment.year = mark.year
    else:
        return amendment
    action.record(amendment).save()
    return amendment
