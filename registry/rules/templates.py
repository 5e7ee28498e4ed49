"""Reading templates: the built-in edition's number and a template's nodes in tree order."""

from registry.models import TemplateNode

# The built-in template's standard; its edition is this number's canonical form.
BUILT_IN_NUMBER = "DB 6523/T 370-2023"


def template_tree(template):
    """``template``'s nodes, parents before children, siblings in their order."""
    children = {}
    for node in TemplateNode.objects.filter(template=template).order_by("depth", "position"):
        children.setdefault(node.parent_id, []).append(node)
    ordered, todo = [], list(reversed(children.get(None, [])))
    while todo:
        node = todo.pop()
        ordered.append(node)
        todo.extend(reversed(children.get(node.pk, [])))
    return ordered
