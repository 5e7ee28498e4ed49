#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.local")
    # A PDF export starts its layout processes first (see registry/rules/exports/pdf_workers.py).
    from registry.rules.exports.pdf_workers import start_for_command

    start_for_command(sys.argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
