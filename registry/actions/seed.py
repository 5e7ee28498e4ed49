"""Loading the Appendix A system and the seed catalog (DB 6523/T 370-2023).

Idempotent: what exists is left as it is, what is missing is added, each with a history
row by the given user.
"""

import json
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model

from audit.actions import Action
from catalog.models import Citation, Standard, Term
from catalog.rules.numbers import parse_standard_number
from organizations.actions import SeedDefaultOrganization
from organizations.models import Membership
from registry.actions.templates import DeriveSystem, LinkSystemToTemplate, SeedBuiltInTemplate
from registry.models import Node, Placement
from registry.rules.roles import ADMIN, EXPERT, LEAD, OFFICE, VIEWER

FIXTURES = settings.BASE_DIR / "fixtures"
SYSTEM_USERNAME = "system"


@dataclass
class SeedReport:
    nodes: int = 0
    standards: int = 0
    placements: int = 0
    citations: int = 0
    terms: int = 0
    skipped: list = field(default_factory=list)


class SeedSystemUser(Action):
    """The inactive ``system`` account that commands act as when no --user is given: created
    once, before anyone can act, so it needs no user or permission."""

    reason_required = False

    def __init__(self):
        super().__init__(None)

    def has_permission(self):
        return True  # seeding: see the docstring

    def _execute(self):
        user, created = get_user_model().objects.get_or_create(
            username=SYSTEM_USERNAME, defaults={"first_name": "系统", "is_active": False})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user


def system_user():
    """The named account that commands record when no --user is given."""
    found = get_user_model().objects.filter(username=SYSTEM_USERNAME).first()
    return found or SeedSystemUser().execute()


# Demo accounts for a first run: one per role. Change or disable them before real use.
DEMO_USERS = [
    (ADMIN, "admin", "管理员", "admin-demo-2026"),
    (OFFICE, "office", "标准化工作人员", "office-demo-2026"),
    (LEAD, "lead", "部门负责人", "lead-demo-2026"),
    (EXPERT, "expert", "专家", "expert-demo-2026"),
    (VIEWER, "viewer", "查阅人员", "viewer-demo-2026"),
]


class SeedDemoUsers(Action):
    """One demo account per role (``DEMO_USERS``); an account that exists keeps its
    password and details and is only put in its role's group. Returns ``(role, username,
    password shown)`` per account, "(changed)" where its password is no longer the demo one.
    Run by ``create_demo_users`` as the ``system`` account (seeding: no permission)."""

    reason_required = False

    def __init__(self):
        super().__init__(system_user())

    def _execute(self):
        User = get_user_model()
        organization = SeedDefaultOrganization(self.user).execute()
        rows = []
        for role, username, name, password in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": name, "email": f"{username}@registry.invalid"})
            if created:
                user.set_password(password)
                user.is_staff = user.is_superuser = role == ADMIN
                user.save()
            if not Membership.objects.filter(user=user, organization=organization,
                                             role=role).exists():
                self.save(Membership(user=user, organization=organization, role=role))
            shown = password if created or user.check_password(password) else "(changed)"
            rows.append((role, username, shown))
        return rows


def _load(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def seed_tree(action, organization, report):
    """``organization``'s system, derived from the built-in template (Appendix A). A system
    seeded before templates existed is linked to the template instead."""
    template = SeedBuiltInTemplate(action.user).execute()
    # One system per organization: an organization that has one keeps it as it is.
    root = Node.objects.get_root_nodes().filter(owner=organization).first()
    if root is not None:
        report.skipped.append("tree")
        if root.template_node_id is None:
            LinkSystemToTemplate(action.user, organization, template).execute()
        return root
    root = DeriveSystem(action.user, organization, template, action.reason,
                        by_operator=True).execute()
    report.nodes += Node.objects.filter(owner=organization).count()
    return root


def seed_catalog(action, root, report):
    data = _load("seed_catalog.json")
    nodes_by_clause = {
        node.clause: node for node in Node.objects.get_tree(root) if node.clause and node.depth <= 3
    }
    for row in data["standards"]:
        number = parse_standard_number(row["number"]).canonical
        standard = Standard.objects.filter(number=number).first()
        if standard is None:
            standard = action.save(Standard(
                number=number, title=row["title"], title_en=row.get("title_en", ""),
                issued_on=_date(row.get("issued_on")),
                implemented_on=_date(row.get("implemented_on")),
                remarks=row.get("remarks", ""),
            ))
            report.standards += 1
        if row.get("placed_on"):
            node = nodes_by_clause[row["placed_on"]]
            if not Placement.objects.filter(node=node, standard=standard).exists():
                action.save(Placement(node=node, standard=standard))
                report.placements += 1
    for row in data["standards"]:
        citing = Standard.objects.get(number=parse_standard_number(row["number"]).canonical)
        for cited_as in row.get("cites", []):
            cited = Standard.objects.resolve(cited_as)
            if not Citation.objects.filter(citing=citing, cited=cited).exists():
                action.save(Citation(citing=citing, cited=cited, cited_as=cited_as))
                report.citations += 1
    for row in data["terms"]:
        if Term.objects.filter(term=row["term"]).exists():
            continue
        source = Standard.objects.resolve(row["source_reference"]) \
            if row["source_reference"] else None
        defined_in = Standard.objects.resolve(row["defined_in"])
        action.save(Term(
            term=row["term"], term_en=row["term_en"], definition=row["definition"],
            note=row["note"], clause=row["clause"], source_reference=row["source_reference"],
            source_clause=row["source_clause"], source=source, defined_in=defined_in,
        ))
        report.terms += 1


def _date(value):
    return date.fromisoformat(value) if value else None


class SeedSystem(Action):
    """Load everything in one transaction, every row with ``user`` and ``reason`` on its
    history. Seeding is the operator's (the ``seed_system`` command, ``make run``): no
    permission of its own, and the default user is the inactive ``system`` account."""

    def __init__(self, user, organization, reason):
        super().__init__(user, reason)
        self.organization = organization

    def has_permission(self):
        return True

    def _execute(self):
        report = SeedReport()
        root = seed_tree(self, self.organization, report)
        seed_catalog(self, root, report)
        return report


def seed_system(user=None, organization=None, reason="初始载入：DB 6523/T 370-2023 附录A 标准体系"):
    """Run ``SeedSystem`` for ``organization`` (default: the default organization, created
    when missing); returns a ``SeedReport``."""
    user = user or system_user()
    organization = organization or SeedDefaultOrganization(user).execute()
    return SeedSystem(user, organization, reason).execute()
