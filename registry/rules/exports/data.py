"""What an export writes: the live system or the system as of a day, for the whole tree or
the subtree under one system code. The command, the export jobs and the shell all load it here."""

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from registry.rules.tree.as_of import parse_moment
from registry.rules.tree.system_table import find_root
from registry.rules.tree.table_data import as_of_data, live_data


class ExportError(Exception):
    """The export cannot run: the message says what is wrong with what was asked."""


def load(node=None, as_of=None):
    """The ``SystemData`` of the subtree with system code ``node`` (default: the whole
    system), as it stood at the end of the day ``as_of`` (``YYYY-MM-DD``; default: now).

    Raises ``ExportError`` when there is nothing to export."""
    if as_of:
        if parse_date(as_of) is None:
            raise ExportError(_("--as-of must be a date as YYYY-MM-DD, not “%(value)s”.")
                              % {"value": as_of})
        data = as_of_data(parse_moment(as_of), node)
        if data is None:
            raise ExportError(
                _("No node %(code)s existed on %(date)s.") % {"code": node, "date": as_of}
                if node else _("No system existed on %(date)s.") % {"date": as_of})
        return data
    root = find_root(node)
    if root is None:
        raise ExportError(_("No node with system code %(code)s.") % {"code": node} if node
                          else _("No standard system is loaded; run seed_system first."))
    return live_data(root)
