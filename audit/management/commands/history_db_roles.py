from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from audit.privileges import apply, grant_statements, role_statements


class Command(BaseCommand):
    help = ("PostgreSQL least privilege for the history: print (or apply) the SQL that "
            "creates an owner role without login and an application role, and the grants "
            "that let the application role only SELECT and INSERT on history and log "
            "tables. See docs/deployment.md.")

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="registry_owner")
        parser.add_argument("--app", default="registry_app")
        parser.add_argument("--roles", action="store_true",
                            help="Include the one-time role creation (run as a superuser).")
        parser.add_argument("--password", default="CHANGE-ME",
                            help="Password of the application role (with --roles).")
        parser.add_argument("--apply", action="store_true",
                            help="Execute the statements on the configured database.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Roles and grants apply to PostgreSQL only.")
        statements = []
        if options["roles"]:
            statements += role_statements(options["owner"], options["app"],
                                          connection.settings_dict["NAME"],
                                          options["password"])
        statements += grant_statements(options["app"], owner=options["owner"])
        if options["apply"]:
            apply(statements)
        for statement in statements:
            self.stdout.write(statement + ";")
