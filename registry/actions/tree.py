"""The tree's writes: operations on ``Node`` (add, change — rename, re-code —, move,
reorder, delete) and placing catalog standards on nodes, taking them off and ordering
them."""


from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from audit.actions import Action, ActionError
from audit.models import LogAction as Audit
from registry.actions.tailoring import is_derived, record_tailoring
from registry.models import Node, Placement, TailoringKind, TailoringReason, TemplateNode
from registry.rules.tree.codes import CODE_FORMAT, next_child_code, recode
from registry.rules.tree.history import parent_and_position


def _tree_codes(node):
    """Every code in the tree (one organization's system) that holds ``node``."""
    return set(
        Node.objects.filter(path__startswith=node.root_path).values_list("code", flat=True)
    )


def record_shifted_siblings(action, parent_ids, exclude=()):
    """Give a history row to each child of ``parent_ids`` whose position among its siblings
    changed (a move or delete shifts the nodes after it), so the tree can be rebuilt as it
    stood at any moment."""
    children = [n for parent_id in parent_ids
                for n in Node.objects.get_children(Node.objects.get(pk=parent_id))
                if n.pk not in exclude]
    recorded = dict(
        Node.history.filter(id__in=[n.pk for n in children]).latest_of_each()
        .values_list("id", "position")
    )
    for child in children:
        if recorded.get(child.pk) != parent_and_position(child)[1]:
            action.record(child, Audit.REORDERED).save()


def _check_code_free(node, code, exclude_pk=None):
    if not CODE_FORMAT.match(code):
        raise ActionError(_("A system code is letters and digits joined by “-” or “.”, "
                            "for example 201-03; “%(code)s” is not.") % {"code": code})
    clash = Node.objects.filter(path__startswith=node.root_path, code=code)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ActionError(_("The system code %(code)s is already used in this system.")
                          % {"code": code})


class AddNode(Action):
    """Add a node as the last child of ``parent``; its code is the next free one."""

    permission = "registry.add_node"

    def __init__(self, user, parent, name, reason="", *, name_en="", clause="",
                 description="", code=""):
        super().__init__(user, reason)
        self.parent, self.name = parent, (name or "").strip()
        self.fields = {"name_en": name_en, "clause": clause, "description": description}
        self.code = (code or "").strip()

    def check(self):
        super().check()
        if not self.name:
            raise ActionError(_("A node needs a name."))

    def _execute(self):
        parent = Node.objects.select_for_update().get(pk=self.parent.pk)
        taken = list(Node.objects.get_children(parent).values_list("code", flat=True))
        if parent.template_node_id:
            # The codes of the template's children stay theirs: a removed aspect comes back
            # with its own code (RestoreAspect), so an extension takes the next one after.
            taken += TemplateNode.objects.filter(parent_id=parent.template_node_id) \
                .values_list("code", flat=True)
        code = self.code or next_child_code(parent, taken)
        _check_code_free(parent, code)
        node = Node(name=self.name, code=code, owner_id=parent.owner_id, **self.fields)
        self.record(node)
        # An addition to a derived system (扩充) is read from the tree; its who, when and why
        # are its own history row's (registry.rules.tailoring).
        return Node.objects.add_child(parent, instance=node)


class ChangeNode(Action):
    """Rename a node or change its code, clause or description."""

    permission = "registry.change_node"
    FIELDS = ("name", "name_en", "code", "clause", "description", "organization",
              "organization_en")

    def __init__(self, user, node, reason="", **changes):
        super().__init__(user, reason)
        self.node = node
        self.changes = {k: (v or "").strip() for k, v in changes.items() if k in self.FIELDS}

    def check(self):
        super().check()
        if "name" in self.changes and not self.changes["name"]:
            raise ActionError(_("A node needs a name."))
        if "code" in self.changes and not self.changes["code"]:
            raise ActionError(_("A node needs a system code."))

    def _execute(self):
        node = Node.objects.select_for_update().get(pk=self.node.pk)
        old_code, new_code = node.code, self.changes.get("code", node.code)
        if new_code != old_code:
            _check_code_free(node, new_code, exclude_pk=node.pk)
            # Descendants whose codes extend the old one follow it (201-03 → 210-03).
            for member in Node.objects.get_descendants(node):
                recoded = recode(member.code, old_code, new_code)
                if recoded and recoded != member.code:
                    _check_code_free(node, recoded, exclude_pk=member.pk)
                    member.code = recoded
                    self.record(member).save()
        for field, value in self.changes.items():
            setattr(node, field, value)
        self.record(node).save()
        return node


class ChangeSystem(ChangeNode):
    """Name the system and its organization, as the system table's cover shows them. They
    are the root node's fields: a system is its tree."""

    FIELDS = ("name", "name_en", "organization", "organization_en")

    def check(self):
        super().check()
        if not self.node.is_root():
            raise ActionError(_("Only the root of a system carries the system's name and "
                                "organization."))


class MoveNode(Action):
    """Move a node (and its subtree) relative to ``target``.

    ``position`` is ``last-child``/``first-child`` of target, or ``left``/``right`` of it
    (before/after the target as a sibling). Moving under a new parent re-codes the subtree.
    """

    permission = "registry.change_node"
    POSITIONS = ("first-child", "last-child", "left", "right")

    def __init__(self, user, node, target, position="last-child", reason=""):
        super().__init__(user, reason)
        self.node, self.target, self.position = node, target, position

    def check(self):
        super().check()
        node, target = self.node, self.target
        if self.position not in self.POSITIONS:
            raise ActionError(_("Unknown position."))
        if node.is_root():
            raise ActionError(_("The root of a system cannot be moved."))
        if target.root_path != node.root_path:
            raise ActionError(_("A node can only be moved within its own system."))
        if target.pk == node.pk or target.path.startswith(node.path):
            raise ActionError(_("A node cannot be moved into itself or its own subtree."))
        if self.position in ("left", "right") and target.is_root():
            raise ActionError(_("The root of a system cannot have siblings."))

    def _execute(self):
        node = Node.objects.select_for_update().get(pk=self.node.pk)
        target = Node.objects.get(pk=self.target.pk)
        old_parent = Node.objects.get_parent(node)
        new_parent = target if self.position.endswith("child") else Node.objects.get_parent(target)
        # treebeard's move() rewrites paths with queryset.update(): no save, no history.
        Node.objects.move(node, target, self.position)
        node.refresh_from_db()
        if new_parent.pk != old_parent.pk:
            self._recode_subtree(node, new_parent)
            node.refresh_from_db()
        else:
            # Same parent: a reorder; the moved node and each node below it get a row.
            for member in Node.objects.get_tree(node):
                self.record(member, Audit.MOVED).save()
        record_shifted_siblings(self, {old_parent.pk, new_parent.pk}, exclude={node.pk})
        return node

    def _recode_subtree(self, node, new_parent):
        siblings = (
            Node.objects.get_children(new_parent).exclude(pk=node.pk)
            .values_list("code", flat=True)
        )
        old_prefix = node.code
        new_prefix = next_child_code(new_parent, siblings)
        taken = _tree_codes(node) - {n.code for n in Node.objects.get_tree(node)}
        for member in Node.objects.get_tree(node):
            new_code = recode(member.code, old_prefix, new_prefix) or member.code
            if new_code in taken:
                raise ActionError(_("The system code %(code)s is already used in this system.")
                                  % {"code": new_code})
            member.code = new_code
            self.record(member, Audit.MOVED).save()


class ReorderNode(Action):
    """Move a node one place up or down among its siblings; codes stay as they are."""

    permission = "registry.change_node"

    def __init__(self, user, node, direction, reason=""):
        super().__init__(user, reason)
        self.node, self.direction = node, direction

    def check(self):
        super().check()
        if self.direction not in ("up", "down"):
            raise ActionError(_("Unknown direction."))
        if self.node.is_root():
            raise ActionError(_("The root of a system cannot be moved."))

    def _execute(self):
        node = Node.objects.select_for_update().get(pk=self.node.pk)
        if self.direction == "up":
            neighbour = Node.objects.get_prev_sibling(node)
        else:
            neighbour = Node.objects.get_next_sibling(node)
        if neighbour is None:
            raise ActionError(_("This node is already first.") if self.direction == "up"
                              else _("This node is already last."))
        Node.objects.move(node, neighbour, "left" if self.direction == "up" else "right")
        # Both swapped nodes changed position; record each (their subtrees did not move
        # relative to them).
        for moved in (node, neighbour):
            moved.refresh_from_db()
            self.record(moved, Audit.REORDERED).save()
        return node


class DeleteNode(Action):
    """Delete a node and its subtree, refused while any of it holds standards. In a system
    derived from a template, removing template aspects is a 删减: ``why`` (one of
    ``TailoringReason``) is required, and each template node removed is recorded."""

    permission = "registry.delete_node"

    def __init__(self, user, node, reason="", why=""):
        super().__init__(user, reason)
        self.node, self.why = node, why or ""

    def asks_why(self):
        """Whether the form must ask why (a 删减 that the other checks let through)."""
        return (not self.node.is_root() and self.removes_template_aspects()
                and not self.blocking_placements().exists())

    def removes_template_aspects(self):
        return (Node.objects.filter(path__startswith=self.node.path,
                                    template_node__isnull=False).exists()
                and is_derived(self.node))

    def blocking_placements(self):
        return (
            Placement.objects.filter(node__path__startswith=self.node.path)
            .select_related("node", "standard").order_by("node__path", "standard__number")
        )

    def check(self):
        super().check()
        if self.node.is_root():
            raise ActionError(_("The root of a system cannot be deleted."))
        blocking = list(self.blocking_placements())
        if blocking:
            listed = "; ".join(f"{p.standard.number} ({p.node.code} {p.node.name})"
                               for p in blocking[:10])
            if len(blocking) > 10:
                listed += " …"
            raise ActionError(
                _("This node still holds standards and cannot be deleted: %(standards)s. "
                  "Move or remove them first.") % {"standards": listed}
            )
        if self.why and self.why not in TailoringReason.values:
            raise ActionError({"why": _("Choose why the aspect is removed.")})
        if not self.why and self.removes_template_aspects():
            raise ActionError({"why": _("This node comes from the template: removing it is "
                                        "a 删减 (clause 6.2.4). Choose why.")})

    def _execute(self):
        node = Node.objects.select_for_update().get(pk=self.node.pk)
        parent = Node.objects.get_parent(node)
        if self.why:
            for member in Node.objects.get_tree(node).filter(template_node__isnull=False):
                record_tailoring(self, member, TailoringKind.REMOVED, why=self.why)
        # Leaves first, one by one, through Django's own delete so that each history row
        # carries the user and reason (treebeard's delete refetches rows and loses both).
        for member in reversed(list(Node.objects.get_tree(node))):
            try:
                models.Model.delete(self.record(member))
            except models.ProtectedError as exc:
                # Other apps' records (projects …) may point at a node: name them.
                names = "; ".join(sorted({str(obj) for obj in exc.protected_objects})[:10])
                raise ActionError(_("%(node)s is still referred to by: %(records)s.")
                                  % {"node": member, "records": names}) from exc
        # numchild is treebeard's bookkeeping, outside the history.
        Node.objects.filter(pk=parent.pk).update(numchild=F("numchild") - 1)
        record_shifted_siblings(self, {parent.pk})
        return node


# --- placements ---------------------------------------------------------------------------

class PlaceStandard(Action):
    permission = "registry.add_placement"

    def __init__(self, user, node, standard, reason="", note=""):
        super().__init__(user, reason)
        self.node, self.standard, self.note = node, standard, note

    def check(self):
        super().check()
        if self.standard.owner_id not in (None, self.node.owner_id):
            raise ActionError(_("%(number)s is another organization's own standard.")
                              % {"number": self.standard.number})
        if Placement.objects.filter(node=self.node, standard=self.standard).exists():
            raise ActionError(_("This standard is already placed on this node."))

    def _execute(self):
        placement = Placement(node=self.node, standard=self.standard, note=self.note)
        self.record(placement).save()
        return placement


class RemovePlacement(Action):
    permission = "registry.delete_placement"

    def __init__(self, user, placement, reason=""):
        super().__init__(user, reason)
        self.placement = placement

    def _execute(self):
        self.record(self.placement).delete()
        return self.placement


class OrderPlacements(Action):
    """Set the order of the standards on one node by hand (``numbers``: every standard
    placed there, in the order wanted), or, with ``numbers=None``, go back to the reading
    order of the system table (``registry.rules.tree.table_data.ordered``)."""

    permission = "registry.change_placement"

    def __init__(self, user, node, numbers, reason=""):
        super().__init__(user, reason)
        self.node, self.numbers = node, numbers

    def check(self):
        super().check()
        if self.numbers is None:
            return
        placed = set(self.node.placements.values_list("standard__number", flat=True))
        wanted = list(self.numbers)
        if len(set(wanted)) != len(wanted):
            raise ActionError(_("A standard is listed twice."))
        if set(wanted) != placed:
            missing, extra = sorted(placed - set(wanted)), sorted(set(wanted) - placed)
            raise ActionError(_("List every standard placed on this node, once. Missing: "
                                "%(missing)s; not placed here: %(extra)s.") % {
                "missing": ", ".join(missing) or "—", "extra": ", ".join(extra) or "—"})

    def _execute(self):
        positions = ({number: index for index, number in enumerate(self.numbers, start=1)}
                     if self.numbers is not None else {})
        placements = (self.node.placements.select_related("standard")
                      .select_for_update(of=("self",)))
        for placement in placements:
            position = positions.get(placement.standard.number)
            if placement.position != position:
                placement.position = position
                self.record(placement, "reordered").save()
        return self.node
