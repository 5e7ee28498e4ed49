"""An imported system table matched to a template (clause 6.2.4): a system that the import
creates (or one already derived) keeps, for each node, the template node it stands for, so
the tailoring report compares it with the template like a derived system.

A node of the file matches a template node (each taken once) that has
1. the same code and the same name; else
2. the same name beneath the template node its parent matched (a re-coded aspect); else
3. the same code beneath that template node (a renamed aspect).
Names are compared without whitespace and with full-width forms folded (NFKC), as typed
tables differ in those only. What matches nothing is an extension (扩充); the template
nodes nothing matched are removals (删减) when the import creates the system."""

import re
import unicodedata
from dataclasses import dataclass, field

from catalog.rules.numbers import parse_standard_number
from registry.models import Template, TemplateNode
from registry.rules.templates import BUILT_IN_NUMBER
from registry.rules.tree import scope


@dataclass
class TemplateMatch:
    template: object                              # the Template matched against
    creates_system: bool                          # removals are recorded only then
    matched: dict = field(default_factory=dict)   # node code → TemplateNode
    renamed: list = field(default_factory=list)   # (code, name, name in the template)
    extensions: list = field(default_factory=list)  # (code, name)
    removed: list = field(default_factory=list)   # TemplateNodes nothing matched

    def as_dict(self):
        """For the preview and the job's result (kept as JSON)."""
        return {
            "template": self.template.edition,
            "matched": len(self.matched),
            "extensions": [[code, name] for code, name in self.extensions],
            "renamed": [list(row) for row in self.renamed],
            "removed": [[t.code, t.name] for t in self.removed] if self.creates_system
            else [],
        }


def normalized(name):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def built_in_template():
    """The built-in template (Appendix A) when it is loaded, else None."""
    return Template.objects.filter(
        edition=parse_standard_number(BUILT_IN_NUMBER).canonical).first()


def template_for_import(organization=None):
    """(template, creates_system): the template an import into ``organization``'s system is
    matched with — the built-in one when the import creates the system, the system's own
    when it was derived — or (None, …) when it is neither (or the built-in is not loaded)."""
    root = scope.system_root(organization)
    if root is None:
        return built_in_template(), True
    if root.template_node_id is None:
        return None, False
    return TemplateNode.objects.get(pk=root.template_node_id).template, False


def match_template(plan_nodes, template, *, creates_system, organization=None):
    """Match the nodes an import creates (``ImportPlan.nodes``: dicts with code, name,
    parent, in the file's order, parents first) with ``template``'s nodes."""
    result = TemplateMatch(template=template, creates_system=creates_system)
    nodes = list(TemplateNode.objects.filter(template=template))
    by_pk = {t.pk: t for t in nodes}
    # What the system holds already is matched already (a derived system).
    parent_of = {}
    used = set()
    if not creates_system:
        for code, template_node_id in scope.nodes(organization).filter(
                template_node__isnull=False).values_list("code", "template_node_id"):
            parent_of[code] = by_pk.get(template_node_id)
            used.add(template_node_id)
    by_code = {t.code: t for t in nodes}
    exact = {(t.code, normalized(t.name)): t for t in nodes}
    children = {}
    for t in nodes:
        children.setdefault(t.parent_id, []).append(t)
    root = next((t for t in nodes if t.parent_id is None), None)

    def take(item, found):
        used.add(found.pk)
        result.matched[item["code"]] = found
        parent_of[item["code"]] = found
        if found.parent_id is not None and normalized(found.name) != normalized(item["name"]):
            result.renamed.append((item["code"], item["name"], found.name))

    # 1. same code and same name, wherever they are (a moved aspect is still itself).
    for item in plan_nodes:
        if not item.get("parent"):
            if root is not None and root.pk not in used:
                take(item, root)  # a system's root stands for the template's, whatever its name
            continue
        found = exact.get((item["code"], normalized(item["name"])))
        if found is not None and found.pk not in used:
            take(item, found)
    # 2. and 3., beneath the template node the parent matched; parents come first.
    for item in plan_nodes:
        if item["code"] in result.matched:
            continue
        parent = parent_of.get(item.get("parent"))
        candidates = [t for t in children.get(parent.pk, ()) if t.pk not in used] \
            if parent is not None else []
        found = next((t for t in candidates if normalized(t.name) == normalized(item["name"])),
                     None)
        if found is None:
            same_code = by_code.get(item["code"])
            found = same_code if same_code in candidates else None
        if found is not None:
            take(item, found)
        else:
            result.extensions.append((item["code"], item["name"]))
    result.removed = sorted((t for t in nodes if t.pk not in used and t.parent_id is not None),
                            key=lambda t: (t.depth, t.code))
    return result
