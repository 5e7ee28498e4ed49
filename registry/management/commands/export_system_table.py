import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from registry.exports import FORMATS, export, prepare, unprepare
from registry.system_table import find_root
from registry.table_data import as_of_data, live_data


class Command(BaseCommand):
    help = "Export the standard system table as PDF, XLSX, CSV or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--node", help="system code of the subtree to export")
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD: the system as it "
                                                         "stood at the end of that day")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default="zh-hans")

    def handle(self, *args, format, output, node, as_of, lang, **options):
        prepare(format)
        try:
            data = load(node, as_of)
        except CommandError:
            unprepare()
            raise
        content = export(data, format, lang)
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
        else:
            sys.stdout.buffer.write(content)


def load(node=None, as_of=None):
    """The data to export, or a CommandError that says what is wrong."""
    if as_of:
        from registry.views.history import parse_moment

        if parse_date(as_of) is None:
            raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {as_of!r}.")
        data = as_of_data(parse_moment(as_of), node)
        if data is None:
            raise CommandError(f"No system{' node ' + node if node else ''} existed on {as_of}.")
        return data
    root = find_root(node)
    if root is None:
        raise CommandError(f"No node with system code {node!r}." if node
                           else "No standard system is loaded; run seed_system first.")
    return live_data(root)
