from django.core.management.base import BaseCommand
from django.db import transaction

from lifecycle.actions.demo import SeedDemoOrganization
from registry.actions.accounts import SetRolePermissions
from registry.actions.seed import SeedDemoUsers
from registry.rules.roles import ROLE_LABELS


class Command(BaseCommand):
    help = ("Create one demo account per role (kept as they are when they exist), a demo "
            "department led by the demo lead, the standardization body, staff profiles "
            "and a training record, and print the accounts.")

    def handle(self, *args, **options):
        SetRolePermissions().execute()
        with transaction.atomic():
            rows = SeedDemoUsers().execute()
            SeedDemoOrganization().execute()
        self.stdout.write("Demo accounts / 演示账号:")
        for role, username, password in rows:
            self.stdout.write(f"  {str(ROLE_LABELS[role]):<32} {username:<8} {password}")
