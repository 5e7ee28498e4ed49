"""Writes of the work area (clause 5.3): work rules, yearly plans and their items."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import SaveInstance
from lifecycle.actions import in_organization
from lifecycle.rules.work import check_rule_dates, check_target, check_year_free


class SaveWorkRule(SaveInstance):
    """Save a work rule (a new file already attached with ``rule.attach``, its format found
    from its content by ``detect_format``)."""

    default_reason = gettext_lazy("Work rule added")

    def _execute(self):
        rule = self.instance
        check_rule_dates(rule.effective_on, rule.repealed_on)
        if not rule.pk:
            rule.created_by = self.user
        return self.save(in_organization(rule))


class SaveYearPlan(SaveInstance):
    """Save a yearly plan; a second plan for the same year is refused."""

    default_reason = gettext_lazy("Yearly plan added")

    def execute(self):
        try:
            return super().execute()
        except IntegrityError as exc:  # two people adding the same year at once
            raise ValidationError(_("There is already a plan for %(year)s.")
                                  % {"year": self.instance.year}) from exc

    def _execute(self):
        in_organization(self.instance)
        check_year_free(self.instance.year, self.instance)
        return self.save(self.instance)


class SavePlanItem(SaveInstance):
    """Save a plan item. With a project, its title and node follow the project when left
    empty; without one, a title and a node are required."""

    default_reason = gettext_lazy("Plan item added")

    def _execute(self):
        item = self.instance
        if item.project is not None:
            item.title = item.title or item.project.title
            item.node = item.node or item.project.node
        elif not item.title or item.node is None:
            raise ValidationError(_("Pick a project, or give the title and the node of the "
                                    "standard still to be proposed."))
        check_target(item.plan, item.target_on)
        return self.save(item)
