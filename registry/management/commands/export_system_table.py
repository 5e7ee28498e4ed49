import json
import sys

from django.core.management.base import BaseCommand, CommandError

from registry.system_table import find_root, system_table


class Command(BaseCommand):
    help = "Export the standard system table (json)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--node", help="system code of the subtree to export")

    def handle(self, *args, format, output, node, **options):
        root = find_root(node)
        if root is None:
            raise CommandError(
                f"No node with system code {node!r}." if node
                else "No standard system is loaded; run seed_system first."
            )
        text = json.dumps(system_table(root), ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            sys.stdout.write(text + "\n")
