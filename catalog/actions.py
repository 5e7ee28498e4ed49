"""Changes to the catalog, one class each, on the audit trail's ``Action``: the permission
and the reason are checked first, the change runs in one transaction, and every row it
writes (the standard or term, each supersession and reference) carries the user and the
reason. The pages, the shell and other apps call the same actions."""

from audit.actions import Action
from catalog.relations import set_cites, set_replaces


class _SaveStandard(Action):
    """Save ``standard`` (unsaved changes, e.g. from a form) and make it replace exactly
    ``replaces`` and reference exactly ``cites``."""

    def __init__(self, user, standard, reason="", *, replaces=(), cites=()):
        super().__init__(user, reason)
        self.standard, self.replaces, self.cites = standard, replaces, cites

    def _execute(self):
        self.record(self.standard).save()
        set_replaces(self.standard, self.replaces, self.user, self.reason)
        set_cites(self.standard, self.cites, self.user, self.reason)
        return self.standard


class AddStandard(_SaveStandard):
    """Add a standard to the catalog; the reason is optional (the history says "created")."""

    permission = "catalog.add_standard"
    reason_required = False


class EditStandard(_SaveStandard):
    """Change a standard, its supersessions and its references; say why."""

    permission = "catalog.change_standard"


class _SaveTerm(Action):
    def __init__(self, user, term, reason=""):
        super().__init__(user, reason)
        self.term = term

    def _execute(self):
        self.record(self.term).save()
        return self.term


class AddTerm(_SaveTerm):
    """Add a term (clause 3); the reason is optional."""

    permission = "catalog.add_term"
    reason_required = False


class EditTerm(_SaveTerm):
    """Change a term's wording, definition or source; say why."""

    permission = "catalog.change_term"
