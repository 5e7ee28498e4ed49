"""Writing a planned import of the system table (``registry.imports``)."""

from audit.actions import Action
from registry.imports import apply_plan


class ApplyImport(Action):
    """Write ``plan`` (``registry.imports.plan_import``, without problems) in one
    transaction, every row with the user and the reason on its history.

    Who may import is checked where the import is asked for and again where it runs: the
    confirm page (``StartImport``) and the worker (``registry.export_jobs.run_import``), or
    the operator's ``import_system_table`` command, which writes as the ``system`` account."""

    def __init__(self, user, plan, reason):
        super().__init__(user, reason)
        self.plan = plan

    def has_permission(self):
        return True

    def check(self):
        if not self.plan.ok:  # the callers list the problems; this guards the write
            raise ValueError("The plan has problems; nothing is written.")
        super().check()

    def _execute(self):
        apply_plan(self, self.plan)
