"""Columns apps above registry add to the comparison of organizations: declared, not named.

The comparison (``registry.rules.comparison``) shows per organization what registry knows
(tailoring, coverage); lifecycle's overdue projects and corrective actions belong there too,
but registry may not import lifecycle. So an app declares its columns on its
``AppConfig``::

    class LifecycleConfig(AppConfig):
        comparison_columns = (
            ComparisonColumn("overdue_projects", _("Overdue projects"),
                             "lifecycle.rules.projects.overdue_by_organization"),
        )

``count`` is the dotted path of a function ``count(organization_ids)`` returning
``{organization id: number}`` (an organization it leaves out counts 0) in one query,
whatever the number of organizations, so the comparison's queries stay constant. This
module imports no model, so an ``AppConfig`` may import it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ComparisonColumn:
    key: str      # the API's field and the page's data attribute
    label: str    # lazy: the page's and the XLSX's heading
    count: str
