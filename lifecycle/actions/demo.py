"""The demo organization a first run shows (``create_demo_users``, ``create_demo_records``):
seeding, written as the ``system`` account or the given user with the demo reason, with no
permission of its own (like ``seed_system``)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from audit.actions import Action
from lifecycle.actions import in_organization
from lifecycle.choices import DepartmentRole, StaffRole
from lifecycle.models import Department, StaffProfile, TrainingRecord
from registry.actions.seed import system_user

DEMO_DEPARTMENT = "社会保险经办科"
DEMO_BODY = "标准化办公室"
DEMO_REASON = "演示数据 / demo data"

# username → (department, standardization role, duties); the lead leads DEMO_DEPARTMENT,
# office staff work full-time in the standardization body.
DEMO_PROFILES = {
    "lead": (DEMO_DEPARTMENT, StaffRole.LEADER, "分管本科室标准化工作，审批本科室的立项和发布。"),
    "office": (DEMO_BODY, StaffRole.FULL_TIME, "组织标准制修订、体系维护和标准化培训。"),
    "expert": (None, StaffRole.PART_TIME, "参加标准审查。"),
    "viewer": (None, StaffRole.NONE, ""),
}
# One recent course for office staff; none for the lead, who therefore shows as due.
DEMO_TRAINING = ("标准化基础知识与GB/T 1.1—2020应用", Decimal("8"), "昌吉州市场监督管理局")


class SeedDemoOrganization(Action):
    """The demo organization, written as the ``system`` account with the demo reason
    (seeding: no permission of its own, like ``seed_system``)."""

    reason_required = False
    default_reason = DEMO_REASON

    def __init__(self):
        super().__init__(system_user())

    def _execute(self):
        User, actor, save = get_user_model(), self.user, self.save
        departments = {}
        lead = User.objects.get(username="lead")
        departments[DEMO_DEPARTMENT] = (
            Department.objects.filter(name=DEMO_DEPARTMENT).first()
            or save(in_organization(Department(
                name=DEMO_DEPARTMENT, lead=lead,
                duties="实施本科室业务相关标准，提出标准制修订需求。")))
        )
        body = Department.objects.filter(name=DEMO_BODY).first()
        if body is None:
            # Only one body may exist: if another department already is one, this one
            # becomes an ordinary department.
            taken = Department.objects.exclude(role=DepartmentRole.DEPARTMENT).exists()
            body = save(in_organization(Department(
                name=DEMO_BODY,
                role=DepartmentRole.DEPARTMENT if taken else DepartmentRole.BODY,
                duties="统筹全局标准化工作：体系规划、标准制修订组织、实施监督和培训。",
            )))
        departments[DEMO_BODY] = body
        for username, (department, role, duties) in DEMO_PROFILES.items():
            user = User.objects.get(username=username)
            if not StaffProfile.objects.filter(user=user).exists():
                save(in_organization(StaffProfile(
                    user=user, department=departments.get(department), role=role,
                    duties=duties)))
        office = User.objects.get(username="office")
        if not TrainingRecord.objects.filter(user=office).exists():
            course, hours, provider = DEMO_TRAINING
            save(in_organization(TrainingRecord(
                user=office, course=course, hours=hours, provider=provider,
                attended_on=timezone.localdate() - timedelta(days=60), created_by=actor)))


class SeedDemoDepartment(Action):
    """The demo department, saved as the given user with the demo reason (seeding: no
    permission of its own; office staff may not add departments on the pages)."""

    reason_required = False
    default_reason = "演示数据"

    def __init__(self, user, department):
        super().__init__(user)
        self.department = department

    def _execute(self):
        return self.save(in_organization(self.department))
