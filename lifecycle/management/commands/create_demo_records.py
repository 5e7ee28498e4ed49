"""Demo records for clause 8, so a first run shows supervision and evaluation at work:
a check with an overdue corrective action owned by the demo lead, a conforming check and
an evaluation below the improvement threshold. Run after seed_system and
create_demo_users; running it again creates nothing new."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from catalog.models import Standard
from catalog.models.choices import Status
from lifecycle.actions.demo import SeedDemoDepartment
from lifecycle.actions.evaluation import AddEvaluation, default_template
from lifecycle.actions.supervision import AddCheck, AddNonConformity
from lifecycle.choices import CheckResult
from lifecycle.models import (
    Department,
    Evaluation,
    ImplementationCheck,
    NonConformity,
)
from organizations.rules import acting_in, current_organization, find_organization

DEPARTMENT = "社会保险经办科"
# Each demo record is recognised by its text, so a second run finds it.
NONCONFORMING_FINDINGS = "演示记录：抽查20份待遇核定档案，3份缺少经办人签字，办理时限未按标准公示。"
CONFORMING_FINDINGS = "演示记录：窗口服务用语、标识和办理流程均符合标准要求。"
CONFORMING_PLACE = "政务服务大厅社保综合窗口"
NONCONFORMITY = "演示记录：待遇核定档案缺少经办人签字。"
ACTION = "补齐签字，对经办人员进行标准培训，在窗口公示办理时限。"
CONCLUSION = "演示记录：标准已在主要窗口实施，但检查发现的问题尚未整改，需改进后再评价。"
# Per criterion of the default template, in its order: a total of 72.5, below 80.
SCORES = [Decimal("70"), Decimal("75"), Decimal("80"), Decimal("60")]


class Command(BaseCommand):
    help = ("Create demo implementation checks, an overdue corrective action owned by the "
            "demo lead and an evaluation below the threshold (kept when they exist).")

    def add_arguments(self, parser):
        parser.add_argument("--user", help="username recorded in the history and as the "
                                           "inspector (default: office)")
        parser.add_argument("--organization", metavar="CODE",
                            help="administrative-division code of the organization the "
                                 "records belong to (default: the default organization)")

    def handle(self, *args, user=None, organization=None, **options):
        # Everything below — the records, their lookups, the user's permissions — is that
        # organization's.
        with acting_in(find_organization(organization) if organization
                       else current_organization()):
            self._records(user)

    def _records(self, user):
        User = get_user_model()
        if user:
            try:
                actor = User.objects.get(username=user)
            except User.DoesNotExist as exc:
                raise CommandError(f"No user named {user!r}.") from exc
        else:
            actor = User.objects.filter(username="office", is_active=True).first()
        if actor is None or not actor.has_perm("lifecycle.add_implementationcheck"):
            raise CommandError("The demo records are made by an active office user: run "
                               "create_demo_users first, or name one with --user.")
        lead = User.objects.filter(username="lead").first()
        standards = list(Standard.objects.with_status().filter(computed_status=Status.CURRENT)
                         .order_by("code", "serial", "year")[:2])
        if len(standards) < 2:
            raise CommandError("No current standards to check: run seed_system first.")
        today = timezone.localdate()
        with transaction.atomic():
            lines = [
                self._department(actor, lead),
                *self._nonconforming_check(standards[0], actor, lead or actor, today),
                self._conforming_check(standards[1], actor, today),
                self._evaluation(standards[0], actor, today),
            ]
        self.stdout.write("Demo records / 演示记录:")
        for line in lines:
            self.stdout.write(f"  {line}")

    @staticmethod
    def _department(user, lead):
        department = Department.objects.filter(name=DEPARTMENT).first()
        if department:
            return f"department {DEPARTMENT}: exists"
        SeedDemoDepartment(user, Department(name=DEPARTMENT, lead=lead)).execute()
        return f"department {DEPARTMENT}: created"

    def _nonconforming_check(self, standard, user, owner, today):
        check = ImplementationCheck.objects.filter(findings=NONCONFORMING_FINDINGS).first()
        if check:
            lines = [f"check {check.pk} of {check.standard.number} (non-conformities): exists"]
        else:
            check = AddCheck(user, ImplementationCheck(
                standard=standard, department=Department.objects.get(name=DEPARTMENT),
                checked_on=today - timedelta(days=30), inspector=user,
                findings=NONCONFORMING_FINDINGS, result=CheckResult.NONCONFORMING,
            )).execute()
            lines = [f"check {check.pk} of {standard.number} at {DEPARTMENT} "
                     f"(non-conformities): created"]
        action = NonConformity.objects.filter(check_record=check,
                                              description=NONCONFORMITY).first()
        if action:
            lines.append(f"corrective action {action.pk} owned by {action.owner}: exists")
        else:
            action = AddNonConformity(user, check, NonConformity(
                description=NONCONFORMITY, action=ACTION, owner=owner,
                due_on=today - timedelta(days=10),
            )).execute()
            lines.append(f"corrective action {action.pk} owned by {owner.get_username()}, "
                         f"due {action.due_on.isoformat()} (overdue): created")
        return lines

    def _conforming_check(self, standard, user, today):
        check = ImplementationCheck.objects.filter(findings=CONFORMING_FINDINGS).first()
        if check:
            return f"check {check.pk} of {check.standard.number} (conforming): exists"
        check = AddCheck(user, ImplementationCheck(
            standard=standard, location=CONFORMING_PLACE, checked_on=today - timedelta(days=7),
            inspector=user, findings=CONFORMING_FINDINGS, result=CheckResult.CONFORMING,
        )).execute()
        return f"check {check.pk} of {standard.number} at {CONFORMING_PLACE} (conforming): " \
               "created"

    def _evaluation(self, standard, user, today):
        evaluation = Evaluation.objects.filter(conclusion=CONCLUSION).first()
        if evaluation:
            return (f"evaluation {evaluation.pk} of {evaluation.standard.number} "
                    f"(total {evaluation.total}): exists")
        template = default_template(user)
        criteria = list(template.criteria.all())
        scores = {criterion: (SCORES[index % len(SCORES)], "")
                  for index, criterion in enumerate(criteria)}
        evaluation = AddEvaluation(user, standard, template, scores,
                                      today - timedelta(days=3), CONCLUSION).execute()
        return (f"evaluation {evaluation.pk} of {standard.number}: total {evaluation.total}, "
                f"threshold {template.threshold}: created")
