"""Templates (clause 6.2.4): loading the built-in one, deriving an organization's system
from a template, publishing an organization's system as a template for its children, and
linking a system seeded before templates existed to the template it was seeded from."""

import json

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import Action, ActionError
from catalog.rules.numbers import parse_standard_number
from organizations.rules import can_administer, current_organization
from registry.models import Node, Template, TemplateNode
from registry.rules.templates import BUILT_IN_NUMBER, template_tree
from registry.rules.tree.codes import child_code
from registry.rules.tree.scope import nodes, system_root

FIXTURE = settings.BASE_DIR / "fixtures" / "appendix_a.json"


class SeedBuiltInTemplate(Action):
    """The built-in template, DB 6523/T 370-2023 Appendix A, exactly as the seed loads it
    (``fixtures/appendix_a.json``): created once. Seeding: no permission of its own."""

    reason_required = False
    default_reason = gettext_lazy("Built-in template loaded: DB 6523/T 370-2023 Appendix A")

    def has_permission(self):
        return self.user is not None

    def _execute(self):
        edition = parse_standard_number(BUILT_IN_NUMBER).canonical
        found = Template.objects.filter(edition=edition).first()
        if found is not None:
            return found
        data = json.loads(FIXTURE.read_text(encoding="utf-8"))["system"]
        template = self.save(Template(
            edition=edition, title=f"{BUILT_IN_NUMBER} 附录A {data['name']}",
            title_en=f"{BUILT_IN_NUMBER} Appendix A, {data.get('name_en', '')}".strip(", "),
            published_on=None))
        root = self.save(TemplateNode(template=template, position=1, depth=1, code="0",
                                      name=data["name"], name_en=data.get("name_en", ""),
                                      clause=data.get("clause", "")))

        def add_children(parent, children):
            for index, child in enumerate(children, start=1):
                node = self.save(TemplateNode(
                    template=template, parent=parent, position=index, depth=parent.depth + 1,
                    code=child_code(parent.code, parent.depth, index), name=child["name"],
                    name_en=child.get("name_en", ""), clause=child.get("clause", "")))
                add_children(node, child.get("children", []))

        add_children(root, data["children"])
        return template


def find_template(edition):
    """A template by its edition as written: a standard number in any spelling the number
    parser accepts (DB 6523/T 370-2023), or an organization's own label."""
    text = (edition or "").strip()
    found = Template.objects.filter(edition=text).first()
    if found is None:
        try:
            found = Template.objects.filter(
                edition=parse_standard_number(text).canonical).first()
        except ValueError:
            found = None
    return found


class DeriveSystem(Action):
    """Create ``organization``'s system as a copy of ``template``: every node remembers the
    template node it came from. Refused when the organization has a system already.

    Its administrators (or those above it) derive it, with the permission to derive; the
    operator's command (``derive_system``) needs no role."""

    permission = "registry.derive_system"
    reason_required = False
    default_reason = gettext_lazy("System derived from a template")

    def __init__(self, user, organization, template, reason="", *, by_operator=False):
        super().__init__(user, reason)
        self.organization, self.template, self.by_operator = organization, template, by_operator

    def has_permission(self):
        if self.by_operator:
            return self.user is not None
        return (super().has_permission()
                and (self.organization == current_organization()
                     or can_administer(self.user, self.organization)))

    def check(self):
        super().check()
        if system_root(self.organization) is not None:
            raise ActionError(_("%(organization)s has a standard system already.")
                              % {"organization": self.organization})

    def _execute(self):
        rows = template_tree(self.template)
        made = {}
        for row in rows:
            node = self.record(Node(
                name=row.name, name_en=row.name_en, code=row.code, clause=row.clause,
                owner=self.organization, template_node=row))
            if row.parent_id is None:
                node.organization = self.organization.name
                made[row.pk] = Node.objects.add_root(instance=node)
            else:
                made[row.pk] = Node.objects.add_child(made[row.parent_id], instance=node)
        return made[rows[0].pk]


class PublishTemplate(Action):
    """Freeze ``organization``'s system as a template with an edition label and date, for
    the organizations beneath it to derive theirs from."""

    permission = "registry.add_template"
    reason_required = False
    default_reason = gettext_lazy("Template published")

    def __init__(self, user, organization, edition, title="", published_on=None, reason=""):
        super().__init__(user, reason)
        self.organization, self.edition = organization, (edition or "").strip()
        self.title = (title or "").strip()
        self.published_on = published_on or timezone.localdate()

    def has_permission(self):
        return super().has_permission() and can_administer(self.user, self.organization)

    def check(self):
        super().check()
        if not self.edition:
            raise ActionError({"edition": _("A template needs an edition label.")})
        if find_template(self.edition) is not None:
            raise ActionError({"edition": _("A template with this edition exists already.")})
        if system_root(self.organization) is None:
            raise ActionError(_("%(organization)s has no standard system to publish.")
                              % {"organization": self.organization})

    def _execute(self):
        root = system_root(self.organization)
        previous = (Template.objects.filter(organization=self.organization)
                    .order_by("-created_at").first())
        template = self.save(Template(
            edition=self.edition, title=self.title or root.name, title_en=root.name_en,
            published_on=self.published_on, organization=self.organization,
            previous=previous))
        frozen, positions = {}, {}
        for node in Node.objects.get_tree(root):
            parent_path = node.path[:-Node.steplen] if node.depth > 1 else None
            positions[parent_path] = positions.get(parent_path, 0) + 1
            frozen[node.path] = self.save(TemplateNode(
                template=template, parent=frozen.get(parent_path), depth=node.depth,
                position=positions[parent_path], code=node.code, name=node.name,
                name_en=node.name_en, clause=node.clause))
        return template


class LinkSystemToTemplate(Action):
    """A system seeded before templates existed: each node whose code and depth match a node
    of the built-in template is linked to it (a history row each); the rest stay
    extensions. Run by ``seed_system`` after an upgrade."""

    reason_required = False
    default_reason = gettext_lazy("Linked to the template it was seeded from")

    def __init__(self, user, organization, template):
        super().__init__(user)
        self.organization, self.template = organization, template

    def has_permission(self):
        return self.user is not None  # seeding, as seed_system

    def _execute(self):
        by_code = {(t.code, t.depth): t for t in self.template.nodes.all()}
        linked = 0
        for node in nodes(self.organization).filter(template_node__isnull=True):
            match = by_code.get((node.code, node.depth))
            if match is not None:
                node.template_node = match
                self.save(node)
                linked += 1
        return linked
