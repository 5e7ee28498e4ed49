"""A template's new edition (clause 6.2.4): adding it from a file in the seed's shape, each
of its changes proposed to the systems that follow the edition before, and an
organization's administrators deciding each proposal. Nothing in a system changes but by
such a decision; once none is pending the system follows the new edition
(docs/user-guide.md, "New template editions")."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import Action, ActionError
from catalog.rules.numbers import parse_standard_number
from organizations.rules import current_organization
from registry.actions.templates import find_template
from registry.actions.tree import DeleteNode
from registry.models import (
    EditionProposal,
    Node,
    ProposalKind,
    ProposalStatus,
    Template,
    TemplateNode,
)
from registry.rules.editions import EditionFileError, match_editions, read_edition, rows_of
from registry.rules.tree.codes import CODE_FORMAT, next_child_code


def edition_label(text):
    """An edition as stored: a standard number's canonical form, else the label as given."""
    text = (text or "").strip()
    try:
        return parse_standard_number(text).canonical
    except ValueError:
        return text


class AddTemplateEdition(Action):
    """A new edition of ``previous`` read from ``text`` (JSON in the shape of
    ``fixtures/appendix_a.json``): its nodes, each matched with the same aspect in the
    edition before, and for every organization whose system follows ``previous`` the
    changes that concern it, as proposals. All or nothing. The operator's command
    (``load_template``) needs no role."""

    permission = "registry.add_template"
    reason_required = False
    default_reason = gettext_lazy("New template edition loaded")

    def __init__(self, user, text, edition, previous, title="", title_en="",
                 published_on=None, reason="", *, by_operator=False):
        super().__init__(user, reason)
        self.text, self.edition = text, edition_label(edition)
        self.previous, self.by_operator = previous, by_operator
        self.title, self.title_en = (title or "").strip(), (title_en or "").strip()
        self.published_on = published_on
        self.proposals = []

    def has_permission(self):
        if self.by_operator:
            return self.user is not None
        return super().has_permission()

    def check(self):
        super().check()
        if not self.edition:
            raise ActionError({"edition": _("A template needs an edition label.")})
        if find_template(self.edition) is not None:
            raise ActionError({"edition": _("A template with this edition exists already.")})
        if self.previous is None:
            raise ActionError(_("Say which edition the new one follows."))
        newer = self.previous.next_editions.first()
        if newer is not None:
            raise ActionError(_("%(previous)s is followed by %(newer)s already: load the new "
                                "edition as the one after %(newer)s.")
                              % {"previous": self.previous, "newer": newer})
        try:
            self.root = read_edition(self.text)
        except EditionFileError as exc:
            raise ActionError(exc.messages) from exc

    def _execute(self):
        root = self.root
        matching = match_editions(root, self.previous)
        template = self.save(Template(
            edition=self.edition, title=self.title or f"{self.edition} {root.name}",
            title_en=self.title_en or root.name_en, published_on=self.published_on,
            organization=self.previous.organization, previous=self.previous))
        saved = {}
        for row in rows_of(root):
            saved[id(row)] = self.save(TemplateNode(
                template=template, parent=saved.get(id(row.parent)), position=row.position,
                depth=row.depth, code=row.code, name=row.name, name_en=row.name_en,
                clause=row.clause, previous_node=row.previous))
        followers = (Node.objects.filter(depth=1, template_node__template=self.previous)
                     .select_related("owner"))
        for root_node in followers:
            organization = root_node.owner
            held = dict(Node.objects.filter(owner=organization,
                                            template_node__template=self.previous)
                        .values_list("template_node_id", "name"))
            made = []
            for row in matching.renamed:
                if row.previous.pk in held and held[row.previous.pk] != row.name:
                    made.append(EditionProposal(kind=ProposalKind.RENAMED,
                                                old_node=row.previous,
                                                new_node=saved[id(row)]))
            for old in matching.removed:
                if old.pk in held:
                    made.append(EditionProposal(kind=ProposalKind.REMOVED, old_node=old))
            for row in matching.added:
                if row.parent.previous is not None and row.parent.previous.pk in held:
                    made.append(EditionProposal(kind=ProposalKind.ADDED,
                                                new_node=saved[id(row)]))
            for proposal in made:
                proposal.organization, proposal.template = organization, template
                self.proposals.append(self.save(proposal))
            if not made:
                # Nothing to decide: the system is the new edition as it stands.
                LinkSystemToEdition(self.user, organization, template).execute()
        return template


class LinkSystemToEdition(Action):
    """Link each node of ``organization``'s system that continues in ``template`` (the
    root, the aspects kept or renamed) to its node there: the system now follows that
    edition and the tailoring report compares with it. Run when the last proposal is
    decided (or at once when there was none); the tree itself is unchanged."""

    reason_required = False

    def __init__(self, user, organization, template):
        super().__init__(user)
        self.organization, self.template = organization, template
        self.default_reason = _("Now follows the template's edition %(edition)s") % {
            "edition": template.edition}

    def has_permission(self):
        return self.user is not None  # run by the decision or the load that checked theirs

    def _execute(self):
        successor = dict(TemplateNode.objects.filter(
            template=self.template, previous_node__isnull=False)
            .values_list("previous_node_id", "pk"))
        linked = 0
        for node in Node.objects.filter(owner=self.organization,
                                        template_node_id__in=list(successor)):
            node.template_node_id = successor[node.template_node_id]
            self.save(node)
            linked += 1
        return linked


class DecideProposal(Action):
    """Accept or decline one proposal of a new edition, with a reason: only an
    administrator of the organization it was made to, acting there. Accepting renames,
    removes (as deleting the node does: refused while it holds standards) or adds the
    aspect; declining leaves the system as it is. The decision is kept on the proposal
    with who, when and why."""

    permission = "registry.change_editionproposal"
    permission_message = gettext_lazy("Only an administrator of this organization decides "
                                      "on the template's new edition.")

    def __init__(self, user, proposal, accept, reason=""):
        super().__init__(user, reason)
        self.proposal, self.accept = proposal, bool(accept)

    def has_permission(self):
        organization = current_organization()
        return (super().has_permission() and organization is not None
                and self.proposal.organization_id == organization.pk)

    def node(self, template_node):
        """The organization's node derived from ``template_node``, or None."""
        return Node.objects.filter(owner_id=self.proposal.organization_id,
                                   template_node=template_node).first()

    def check(self):
        super().check()
        proposal = self.proposal
        if proposal.status != ProposalStatus.PENDING:
            raise ActionError(_("This proposal was decided already."))
        if not self.accept:
            return
        if proposal.kind == ProposalKind.RENAMED and self.node(proposal.old_node) is None:
            raise ActionError(_("%(node)s is no longer in the system: decline the proposal.")
                              % {"node": proposal.old_node})
        if proposal.kind == ProposalKind.ADDED and self.node(
                proposal.new_node.parent.previous_node) is None:
            raise ActionError(_("%(parent)s, where %(node)s belongs, is no longer in the "
                                "system: decline the proposal.")
                              % {"parent": proposal.new_node.parent.previous_node,
                                 "node": proposal.new_node})
        if proposal.kind == ProposalKind.REMOVED:
            node = self.node(proposal.old_node)
            blocking = list(DeleteNode(self.user, node).blocking_placements()[:11]) \
                if node is not None else []
            if blocking:
                listed = "; ".join(f"{p.standard.number} ({p.node.code} {p.node.name})"
                                   for p in blocking[:10])
                raise ActionError(
                    _("This node still holds standards and cannot be deleted: %(standards)s. "
                      "Move or remove them first.") % {"standards": listed})

    def _execute(self):
        proposal = self.lock(self.proposal)
        if proposal.status != ProposalStatus.PENDING:
            raise ActionError(_("This proposal was decided already."))
        if self.accept:
            getattr(self, f"_accept_{proposal.kind}")(proposal)
        proposal.status = ProposalStatus.ACCEPTED if self.accept else ProposalStatus.DECLINED
        proposal.reason, proposal.decided_by = self.reason, self.user
        proposal.decided_at = timezone.now()
        self.save(proposal)
        if not EditionProposal.objects.filter(
                organization_id=proposal.organization_id, template_id=proposal.template_id,
                status=ProposalStatus.PENDING).exists():
            LinkSystemToEdition(self.user, proposal.organization, proposal.template).execute()
        return proposal

    def _accept_renamed(self, proposal):
        node = Node.objects.select_for_update().get(pk=self.node(proposal.old_node).pk)
        node.name, node.name_en = proposal.new_node.name, proposal.new_node.name_en
        # Still linked to the previous edition's node until the system follows the new one
        # (LinkSystemToEdition): meanwhile the report shows it renamed, with this reason.
        self.save(node)

    def _accept_removed(self, proposal):
        node = self.node(proposal.old_node)
        if node is not None:
            # DeleteNode's own deletion (the subtree, a history row each, neighbours'
            # positions); no 删减 record: the template dropped the aspect, not the unit.
            DeleteNode(self.user, node, self.reason)._execute()

    def _accept_added(self, proposal):
        parent = self.node(proposal.new_node.parent.previous_node)
        self._add(Node.objects.select_for_update().get(pk=parent.pk), proposal.new_node)

    def _add(self, parent, template_node):
        """``template_node`` and the nodes beneath it, as the last child of ``parent``."""
        used = set(Node.objects.filter(path__startswith=parent.root_path)
                   .values_list("code", flat=True))
        code = template_node.code
        if code in used or not CODE_FORMAT.match(code):
            taken = list(Node.objects.get_children(parent).values_list("code", flat=True))
            taken += TemplateNode.objects.filter(
                parent_id__in=[parent.template_node_id, template_node.parent_id]
            ).values_list("code", flat=True)
            code = next_child_code(parent, taken)
            while code in used:
                taken.append(code)
                code = next_child_code(parent, taken)
        node = self.record(Node(name=template_node.name, name_en=template_node.name_en,
                                code=code, clause=template_node.clause,
                                owner_id=parent.owner_id, template_node=template_node))
        node = Node.objects.add_child(parent, instance=node)
        for child in template_node.children.order_by("position"):
            self._add(Node.objects.get(pk=node.pk), child)
        return node
