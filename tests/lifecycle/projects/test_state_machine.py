"""Random sequences of transitions by random roles keep the lifecycle's invariants."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from catalog.models import Standard
from lifecycle.actions.projects import TakeTransition
from lifecycle.choices import DocumentKind, Stage
from lifecycle.models import Comment, Department, Project, ReviewAssignment
from lifecycle.rules.projects import TRANSITIONS
from registry.actions.seed import seed_system
from registry.models import Node
from tests.factories import UserFactory, default_organization
from tests.lifecycle.conftest import attach

ROLES = ("admin", "office", "lead", "expert", "viewer")


def allowed_edges():
    """(from, to) pairs the state machine declares; nothing else may appear on a timeline."""
    edges = set()
    for name in TRANSITIONS:
        for source, spec in getattr(Project, name)._django_fsm.transitions.items():
            targets = getattr(spec.target, "allowed_states", None) or [spec.target]
            sources = [s for s in Stage] if source == "*" else [source]
            edges |= {(s, t) for s in sources for t in targets}
    return edges


EDGES = allowed_edges()


class LifecycleMachine(RuleBasedStateMachine):
    users = None
    serial = 0

    @initialize(level=st.sampled_from(["organization", "local", "national"]))
    def open_project(self, level):
        # Each run gets its own project; what it draws depends on nothing earlier runs left.
        LifecycleMachine.serial += 1
        users = self.users
        self.project = Project.objects.create(
            title=f"随机项目 {self.serial}", node=Node.objects.get(code="304-09"),
            department=Department.objects.get(), leader=users["office"], level=level,
            planned_start=timezone.localdate(), planned_end=timezone.localdate(),
            created_by=users["office"],
        )

    def refresh(self):
        self.project.refresh_from_db()

    @rule(kind=st.sampled_from(DocumentKind.values))
    def upload(self, kind):
        self.refresh()
        attach(self.project, kind)

    @rule(disposed=st.booleans())
    def comment(self, disposed):
        Comment.objects.create(project=self.project, unit="单位", content="意见",
                               disposition="accepted" if disposed else "",
                               disposition_reason="理由" if disposed else "")

    @rule()
    def dispose_all(self):
        self.project.comments.filter(disposition="").update(disposition="rejected",
                                                             disposition_reason="不采纳")

    @rule()
    def assign_expert(self):
        ReviewAssignment.objects.get_or_create(project=self.project, expert=self.users["expert"])

    @rule()
    def time_passes(self):
        # Simulates the calendar moving past the end of any period.
        past = timezone.localdate() - timedelta(days=1)
        Project.objects.filter(pk=self.project.pk, comment_ends_on__isnull=False).update(
            comment_ends_on=past)
        Project.objects.filter(pk=self.project.pk, notice_ends_on__isnull=False).update(
            notice_ends_on=past)

    @rule()
    def prepare_everything(self):
        """Whatever the current stage needs: documents, an expert, dispositions, time."""
        self.refresh()
        attach(self.project, *DocumentKind.values)
        self.assign_expert()
        self.dispose_all()
        self.time_passes()

    @rule(data=st.data(), role=st.sampled_from(ROLES))
    def take_a_possible_step(self, data, role):
        """A transition that exists from the current stage (any role may try it)."""
        self.refresh()
        names = [n for n in TRANSITIONS if n != "terminate"
                 and getattr(self.project, n)._django_fsm.get_transition(self.project.stage)]
        if names:
            self.take(data.draw(st.sampled_from(names)), role)

    @rule(data=st.data())
    def advance(self, data):
        """Prepare the stage, then take a possible step as a role allowed to take it."""
        self.prepare_everything()
        options = []
        for name in TRANSITIONS:
            spec = getattr(self.project, name)._django_fsm.get_transition(self.project.stage)
            options += [(name, role) for role in ROLES
                        if name != "terminate" and spec and spec.has_perm(self.project,
                                                                          self.users[role])]
        if options:
            self.take(*data.draw(st.sampled_from(options)))

    @rule(name=st.sampled_from(list(TRANSITIONS)), role=st.sampled_from(ROLES))
    def take_any_step(self, name, role):
        """Any transition at all, possible or not."""
        self.take(name, role)

    def take(self, name, role):
        self.refresh()
        user = self.users[role]
        before = self.project.stage
        spec = getattr(self.project, name)._django_fsm.get_transition(before)
        permitted = spec is not None and spec.has_perm(self.project, user)
        LifecycleMachine.serial += 1
        data = {"number": f"Q/HYP {LifecycleMachine.serial}-2026",
                "issued_on": timezone.localdate(), "implemented_on": timezone.localdate()}
        try:
            TakeTransition(user, self.project, name, f"{role}:{name}", **data).execute()
        except PermissionDenied:
            assert not permitted
        except ValidationError:
            pass
        else:
            assert permitted, (name, role, before)
        self.refresh()
        if not permitted:
            assert self.project.stage == before

    @invariant()
    def timeline_follows_the_machine(self):
        previous = Stage.PROPOSAL
        for event in self.project.events.order_by("at", "id"):
            assert event.from_stage == previous
            assert (event.from_stage, event.to_stage) in EDGES
            previous = event.to_stage
        self.refresh()
        assert self.project.stage == previous

    @invariant()
    def history_has_a_row_per_transition(self):
        changes = self.project.history.filter(history_type="~").count()
        assert changes == self.project.events.count()

    @invariant()
    def published_standard_is_in_the_catalog(self):
        self.refresh()
        if self.project.stage == Stage.PUBLISHED:
            standard = Standard.objects.get(pk=self.project.standard_id)
            assert standard.placements.filter(node=self.project.node_id).exists()
        else:
            assert self.project.standard_id is None


@pytest.mark.slow
class TestLifecycleStateMachine(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_system()
        users = {role: UserFactory(username=role, role=role) for role in ROLES}
        # Before the test's fixtures: its organization given here.
        Department.objects.create(name="科室", lead=users["lead"],
                                  organization=default_organization())
        LifecycleMachine.users = users

    def test_random_transitions_keep_the_invariants(self):
        from django.conf import settings as django_settings

        django_settings.MEDIA_ROOT = "/tmp/registry-test-media"
        run_state_machine_as_test(LifecycleMachine, settings=settings(
            max_examples=25, stateful_step_count=80, deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ))
