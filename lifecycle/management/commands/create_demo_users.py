from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from lifecycle.models import Department
from registry.roles import ADMIN, EXPERT, LEAD, OFFICE, ROLE_LABELS, VIEWER, sync_roles

# Demo accounts for a first run: one per role. Change or disable them before real use.
DEMO_USERS = [
    (ADMIN, "admin", "管理员", "admin-demo-2026"),
    (OFFICE, "office", "标准化工作人员", "office-demo-2026"),
    (LEAD, "lead", "部门负责人", "lead-demo-2026"),
    (EXPERT, "expert", "专家", "expert-demo-2026"),
    (VIEWER, "viewer", "查阅人员", "viewer-demo-2026"),
]


DEMO_DEPARTMENT = "社会保险经办科"


class Command(BaseCommand):
    help = ("Create one demo account per role (kept as they are when they exist), a demo "
            "department led by the demo lead, and print the accounts.")

    def handle(self, *args, **options):
        sync_roles()
        User = get_user_model()
        rows = []
        for role, username, name, password in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": name, "email": f"{username}@registry.invalid"},
            )
            if created:
                user.set_password(password)
                user.is_staff = role == ADMIN
                user.is_superuser = role == ADMIN
                user.save()
            user.groups.add(Group.objects.get(name=role))
            shown = password if created or user.check_password(password) else "(changed)"
            rows.append((str(ROLE_LABELS[role]), username, shown))
        department, _created = Department.objects.get_or_create(
            name=DEMO_DEPARTMENT, defaults={"lead": User.objects.get(username="lead")}
        )
        self.stdout.write("Demo accounts / 演示账号:")
        for label, username, password in rows:
            self.stdout.write(f"  {label:<32} {username:<8} {password}")
