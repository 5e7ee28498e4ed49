"""Tailoring (删减 and 扩充, clause 6.2.4): what the tree's actions record when a derived
system departs from its template, and bringing a removed template aspect back."""

from django.utils.translation import gettext as _

from audit.actions import Action, ActionError
from registry.models import Node, Tailoring, TailoringKind, TemplateNode
from registry.rules.tree.codes import CODE_FORMAT, next_child_code


def is_derived(node):
    """Whether ``node``'s system was derived from a template (its root remembers one)."""
    root_path = node.path[:Node.steplen]
    return Node.objects.filter(path=root_path, template_node__isnull=False).exists()


def record_tailoring(action, node, kind, *, template_node=None, why=""):
    """One tailoring record in ``action``'s name, with its reason."""
    return action.save(Tailoring(
        organization_id=node.owner_id, kind=kind,
        template_node=template_node if template_node is not None else node.template_node,
        code=node.code, name=node.name, why=why, reason=action.reason,
        created_by=action.user))


class RestoreAspect(Action):
    """Bring back a template aspect the organization removed: beneath the node derived from
    its template parent (restore that first when it is gone too), as the last child, with
    its original code (or the next free one when another node has taken it)."""

    permission = "registry.add_node"

    def __init__(self, user, organization, template_node, reason=""):
        super().__init__(user, reason)
        self.organization, self.template_node = organization, template_node

    def check(self):
        super().check()
        system = Node.objects.filter(owner=self.organization)
        if system.filter(template_node=self.template_node).exists():
            raise ActionError(_("%(node)s is in the system already.")
                              % {"node": self.template_node})
        if self.template_node.parent_id is None or not system.filter(
                template_node_id=self.template_node.parent_id).exists():
            raise ActionError(_("Restore %(parent)s first: %(node)s belongs beneath it.") % {
                "parent": self.template_node.parent or "-", "node": self.template_node})

    def _execute(self):
        template_node = TemplateNode.objects.get(pk=self.template_node.pk)
        parent = Node.objects.select_for_update().get(
            owner=self.organization, template_node_id=template_node.parent_id)
        taken = set(Node.objects.filter(path__startswith=parent.path[:Node.steplen])
                    .values_list("code", flat=True))
        code = template_node.code
        if code in taken or not CODE_FORMAT.match(code):
            code = next_child_code(parent, Node.objects.get_children(parent)
                                   .values_list("code", flat=True))
        node = self.record(Node(
            name=template_node.name, name_en=template_node.name_en, code=code,
            clause=template_node.clause, owner_id=parent.owner_id, template_node=template_node))
        node = Node.objects.add_child(parent, instance=node)
        record_tailoring(self, node, TailoringKind.RESTORED)
        return node
