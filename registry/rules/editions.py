"""A template's new edition: reading it from a file in the seed's shape
(``fixtures/appendix_a.json``), and matching it with the edition it follows, aspect by
aspect. Nothing here writes (``registry.actions.editions`` does)."""

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from registry.models import TemplateNode
from registry.rules.tree.codes import child_code

MAX_NAME, MAX_CLAUSE, MAX_CODE = 200, 32, 32


class EditionFileError(ValueError):
    """The file cannot be a template edition; ``messages`` say where and why."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(eq=False)
class Row:
    """One node of the new edition as read, before it is saved."""

    name: str
    name_en: str
    clause: str
    code: str
    depth: int
    position: int
    parent: "Row | None" = None
    children: list = field(default_factory=list)
    previous: TemplateNode | None = None  # the same aspect in the edition before
    renamed: bool = False


def read_edition(text):
    """The edition's root ``Row`` from the file's text, every node with the code the seed
    gives it (``child_code``); ``EditionFileError`` listing every problem otherwise."""
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as exc:
        position = (_(" (line %(line)d, column %(column)d)")
                    % {"line": exc.lineno, "column": exc.colno}) if hasattr(exc, "lineno") else ""
        raise EditionFileError([_("The file is not valid JSON%(where)s.")
                                % {"where": position}]) from exc
    system = data.get("system") if isinstance(data, dict) else None
    if not isinstance(system, dict):
        raise EditionFileError([_("The file needs a “system” object, in the shape of "
                                  "fixtures/appendix_a.json.")])
    problems = []

    def text_of(item, key, limit, where):
        value = item.get(key, "")
        if not isinstance(value, str):
            problems.append(_("%(where)s: “%(key)s” must be text.") % {"where": where,
                                                                      "key": key})
            return ""
        value = value.strip()
        if len(value) > limit:
            problems.append(_("%(where)s: “%(key)s” is longer than %(limit)d characters.")
                            % {"where": where, "key": key, "limit": limit})
        return value

    def build(item, where, parent, position):
        if not isinstance(item, dict):
            problems.append(_("%(where)s: each node must be an object with a “name”.")
                            % {"where": where})
            return None
        name = text_of(item, "name", MAX_NAME, where)
        if not name:
            problems.append(_("%(where)s: a node needs a name.") % {"where": where})
        here = f"{where} › {name}" if name else where
        if parent is None:
            code, depth = "0", 1
        else:
            code, depth = child_code(parent.code, parent.depth, position), parent.depth + 1
        if len(code) > MAX_CODE:
            problems.append(_("%(where)s: the tree is too deep for system codes.")
                            % {"where": here})
        row = Row(name=name, name_en=text_of(item, "name_en", MAX_NAME, here),
                  clause=text_of(item, "clause", MAX_CLAUSE, here), code=code, depth=depth,
                  position=position, parent=parent)
        children = item.get("children", [])
        if not isinstance(children, list):
            problems.append(_("%(where)s: “children” must be a list.") % {"where": here})
            children = []
        seen = set()
        for index, child in enumerate(children, start=1):
            made = build(child, f"{here} [{index}]", row, index)
            if made is None:
                continue
            if made.name and made.name in seen:
                problems.append(_("%(where)s: two children are named “%(name)s”.")
                                % {"where": here, "name": made.name})
            seen.add(made.name)
            row.children.append(made)
        return row

    root = build(system, "system", None, 1)
    if problems:
        raise EditionFileError(problems)
    return root


def rows_of(root):
    """Every row, parents before children, siblings in order."""
    found, todo = [], [root]
    while todo:
        row = todo.pop()
        found.append(row)
        todo.extend(reversed(row.children))
    return found


def _pair(old, new):
    """Pair the previous edition's children of one parent with the new edition's: the same
    name is the same aspect; a name changed where its unchanged neighbours say it stands is
    a rename. Returns ``(pairs, renamed pairs, old left, new left)``."""
    matcher = SequenceMatcher(None, [o.name for o in old], [n.name for n in new],
                              autojunk=False)
    pairs, renamed, old_left, new_left = [], [], [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += zip(old[i1:i2], new[j1:j2], strict=True)
        elif tag == "replace":
            width = min(i2 - i1, j2 - j1)
            renamed += zip(old[i1:i1 + width], new[j1:j1 + width], strict=True)
            old_left += old[i1 + width:i2]
            new_left += new[j1 + width:j2]
        elif tag == "delete":
            old_left += old[i1:i2]
        else:
            new_left += new[j1:j2]
    # An aspect only moved among its siblings keeps its name: still the same aspect.
    moved = [(o, n) for o in old_left for n in new_left if o.name == n.name]
    for o, n in moved:
        old_left.remove(o)
        new_left.remove(n)
    return pairs + moved, renamed, old_left, new_left


@dataclass
class Matching:
    added: list = field(default_factory=list)     # rows new in this edition (topmost)
    removed: list = field(default_factory=list)   # previous nodes gone (topmost)
    renamed: list = field(default_factory=list)   # rows whose previous node had another name


def match_editions(root, previous_template):
    """Set ``previous`` (and ``renamed``) on each row of the new edition that continues a
    node of ``previous_template``. A removed or added subtree is listed by its top node
    only: accepting it removes or adds the whole subtree."""
    old_children = {}
    old_root = None
    for node in TemplateNode.objects.filter(template=previous_template).order_by(
            "depth", "position"):
        if node.parent_id is None:
            old_root = node
        else:
            old_children.setdefault(node.parent_id, []).append(node)
    matching = Matching()
    root.previous = old_root
    if old_root is not None and old_root.name != root.name:
        root.renamed = True
        matching.renamed.append(root)
    todo = [root]
    while todo:
        row = todo.pop(0)
        if row.previous is None:
            continue
        pairs, renamed, old_left, new_left = _pair(old_children.get(row.previous.pk, []),
                                                    row.children)
        for old, new in pairs:
            new.previous = old
        for old, new in renamed:
            new.previous, new.renamed = old, True
            matching.renamed.append(new)
        matching.removed += old_left
        matching.added += new_left
        todo.extend(row.children)
    return matching
