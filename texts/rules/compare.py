"""Two drafts of one standard's text, compared clause by clause.

Both drafts come from the same text, so a part keeps its ``key`` from one draft to the
next: clauses, annexes and elements are matched by key (the rare part without one by its
place and content among its matched neighbours). A clause is

* "added" or "removed" when only one draft holds it;
* "moved" when its parent differs, or when its order among the siblings both drafts share
  differs (those outside the longest common subsequence moved; the rest did not);
* "changed" when its title or any of its elements differ (``moved`` tells whether it also
  moved);
* "same" otherwise, even when its number differs: renumbering after an insertion is
  neither a move nor a change.

前言, 引言 and 参考文献 stand as clauses of their own (keys "foreword", "introduction",
"bibliography"). An annex is a clause numbered "A" whose title carries its nature
("（规范性）服务流程", as 目次 prints it); its 条 are "A.1".

Texts are compared in their key-stable form (``⟦ref:KEY⟧`` marks kept), so a reference
whose target was only renumbered is no change; they are shown with each draft's own
numbers. The word changes (``diff``) are lists of ("same" | "ins" | "del", text): a run
of Latin letters, digits and dots is one token, every other character (a Chinese
character, a punctuation mark, a space) one token of its own.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from texts.rules.structure import (
    INLINE,
    Annex,
    Clause,
    Document,
    Element,
    Figure,
    ListItem,
    Numbering,
    Table,
    TermEntry,
    number,
    term_note_label,
)

ADDED, REMOVED, MOVED, CHANGED, SAME = "added", "removed", "moved", "changed", "same"
STATUSES = (ADDED, REMOVED, MOVED, CHANGED, SAME)

# The parts outside the numbered clauses, compared as clauses of their own.
FRONT = {"foreword": "前言", "introduction": "引言", "bibliography": "参考文献"}

# The cover fields compared; the stage is left out, every draft differs by it.
COVER_FIELDS = ("number", "title", "title_en", "ics", "ccs", "record_number", "replaces",
                "adoption", "issued_on", "implemented_on", "issuer")

# Words the DOCX and PDF reports print, in the standard's language; both writers take a
# dict of their own to override them.
LABELS = {
    "heading": "草案比较",
    "author": "草案比较",
    "cover": "封面",
    "title": "标题",
    ADDED: "新增",
    REMOVED: "删除",
    MOVED: "移动",
    CHANGED: "修改",
    "moved_from": "原在{}",
    "image_changed": "图已更换",
    "counts": "新增{added}处，删除{removed}处，移动{moved}处，修改{changed}处",
    "nothing": "两稿内容相同。",
    "annex": "附录{}",
    "number": "编号",
    "title_en": "英文名称",
    "ics": "ICS",
    "ccs": "CCS",
    "record_number": "备案号",
    "replaces": "代替",
    "adoption": "一致性程度",
    "issued_on": "发布日期",
    "implemented_on": "实施日期",
    "issuer": "发布机构",
}

FOOTNOTE = "［脚注：{}］"  # a footnote shown in place, so that its words compare too
CELL_SEPARATOR = " | "
EXCERPT_LENGTH = 40

# A mark is one token; so is a run of Latin letters, digits and dots; every other
# character stands alone.
_TOKEN = re.compile(r"⟦(?:ref|fn):[^⟦⟧]*⟧|[A-Za-z0-9.]+|.", re.DOTALL)

Diff = list[tuple[str, str]]


# What the comparison gives -----------------------------------------------------------


@dataclass
class ElementChange:
    key: str
    status: str  # added, removed, moved, changed, same
    kind: str  # the structure's type name: "Paragraph", "Table", "TermEntry"…
    old_label: str  # "注1", "表1", "3.2", "a)"; "" for a paragraph or when absent
    new_label: str
    old_text: str  # as read: references as numbers, footnotes in place
    new_text: str
    diff: Diff
    moved: bool = False  # also true for a moved element whose text changed
    old_clause_number: str = ""  # where a moved element stood: "5.2", "前言", "A.1"
    image_changed: bool = False  # a figure whose image was replaced

    @property
    def label(self) -> str:
        return self.new_label or self.old_label

    def as_dict(self) -> dict:
        return {"key": self.key, "status": self.status, "kind": self.kind,
                "old_label": self.old_label, "new_label": self.new_label,
                "old_text": self.old_text, "new_text": self.new_text,
                "diff": [list(segment) for segment in self.diff], "moved": self.moved,
                "old_clause_number": self.old_clause_number,
                "image_changed": self.image_changed}


@dataclass
class ClauseChange:
    key: str
    status: str  # added, removed, moved, changed, same
    old_number: str  # "5.2", "A" (an annex), "A.1", "前言"; "" when added
    new_number: str  # "" when removed
    old_title: str
    new_title: str
    title_diff: Diff
    depth: int  # 1 for a 章, an annex or 前言/引言/参考文献
    moved: bool
    elements: list[ElementChange]
    kind: str = "clause"  # "clause", "annex", "foreword", "introduction", "bibliography"

    def heading(self, new: bool = True, labels: dict | None = None) -> str:
        """"5.2 标题", "附录A（规范性）标题", "前言": the clause as one draft heads it
        ("" when that draft has no such clause)."""
        number_text = self.new_number if new else self.old_number
        title = self.new_title if new else self.old_title
        if not number_text:
            return ""
        if self.kind in FRONT:
            return number_text
        if self.kind == "annex":
            return (labels or LABELS)["annex"].format(number_text) + title
        return f"{number_text} {title}".strip()

    @property
    def old_heading(self) -> str:
        return self.heading(new=False)

    @property
    def new_heading(self) -> str:
        return self.heading(new=True)

    def changed_elements(self) -> list[ElementChange]:
        return [element for element in self.elements if element.status != SAME]

    def as_dict(self, full: bool = False) -> dict:
        elements = self.elements if full else self.changed_elements()
        return {"key": self.key, "status": self.status, "kind": self.kind,
                "old_number": self.old_number, "new_number": self.new_number,
                "old_title": self.old_title, "new_title": self.new_title,
                "title_diff": [list(segment) for segment in self.title_diff],
                "depth": self.depth, "moved": self.moved,
                "elements": [element.as_dict() for element in elements]}


@dataclass
class CoverChange:
    field: str  # the Document's field name: "title", "issued_on"…
    old: str  # dates as YYYY-MM-DD, "" when unset
    new: str
    diff: Diff = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"field": self.field, "old": self.old, "new": self.new,
                "diff": [list(segment) for segment in self.diff]}


@dataclass
class Comparison:
    clauses: list[ClauseChange]  # every clause of both drafts, in the new draft's order
    cover: list[CoverChange]

    def changed(self) -> list[ClauseChange]:
        return [clause for clause in self.clauses
                if clause.status != SAME or clause.changed_elements()]

    def counts(self) -> dict[str, int]:
        """Clauses added, removed, moved (changed or not) and changed."""
        counts = {ADDED: 0, REMOVED: 0, MOVED: 0, CHANGED: 0}
        for clause in self.clauses:
            if clause.moved:
                counts[MOVED] += 1
            if clause.status in (ADDED, REMOVED, CHANGED):
                counts[clause.status] += 1
        return counts

    def element_counts(self) -> dict[str, int]:
        """Elements added, removed, moved (changed or not) and changed."""
        counts = {ADDED: 0, REMOVED: 0, MOVED: 0, CHANGED: 0}
        for clause in self.clauses:
            for element in clause.elements:
                if element.moved:
                    counts[MOVED] += 1
                if element.status in (ADDED, REMOVED, CHANGED):
                    counts[element.status] += 1
        return counts

    def is_empty(self) -> bool:
        return not self.cover and not self.changed()

    def as_dict(self, full: bool = False) -> dict:
        """JSON-friendly; the changed clauses and their changed elements, or with
        ``full`` every clause and element."""
        clauses = self.clauses if full else self.changed()
        return {"counts": self.counts(), "element_counts": self.element_counts(),
                "cover": [change.as_dict() for change in self.cover],
                "clauses": [clause.as_dict(full) for clause in clauses]}


# The lines the reports print ----------------------------------------------------------


def _marks(words: list[str]) -> str:
    return "".join(f"［{word}］" for word in words if word)


def clause_line(change: ClauseChange, labels: dict | None = None) -> str:
    """A changed clause's heading in the reports: "5.2 标题 → 5.3 标题［移动］",
    "6 标题［新增］"."""
    labels = labels or LABELS
    old, new = change.heading(False, labels), change.heading(True, labels)
    if change.status == ADDED:
        return new + _marks([labels[ADDED]])
    if change.status == REMOVED:
        return old + _marks([labels[REMOVED]])
    line = new if old == new else f"{old} → {new}"
    return line + _marks([labels[MOVED] if change.moved else ""])


def element_marks(change: ElementChange, labels: dict | None = None,
                  clause: ClauseChange | None = None) -> str:
    """"［新增］", "［移动］［原在5.2］", "［图已更换］": what the words alone do not say
    (an element of an added or removed ``clause`` needs no mark of its own)."""
    labels = labels or LABELS
    words = []
    if change.status in (ADDED, REMOVED) and (
            clause is None or clause.status not in (ADDED, REMOVED)):
        words.append(labels[change.status])
    if change.moved:
        words.append(labels[MOVED])
        if change.old_clause_number:
            words.append(labels["moved_from"].format(change.old_clause_number))
    if change.image_changed:
        words.append(labels["image_changed"])
    return _marks(words)


def counts_line(comparison: Comparison, labels: dict | None = None) -> str:
    """"新增2处，删除1处，…" of the clauses, or that nothing differs."""
    labels = labels or LABELS
    if comparison.is_empty():
        return labels["nothing"]
    return labels["counts"].format(**comparison.counts())


# Words ---------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """``text`` cut into the units the word changes are made of."""
    return _TOKEN.findall(text)


def _shown(token: str, numbering: Numbering) -> str:
    if not token.startswith("⟦"):
        return token
    match = INLINE.fullmatch(token)
    if match is None:
        return token
    if match["kind"] == "ref":
        return numbering.reference(match["value"])
    return FOOTNOTE.format(match["value"])


def shown(text: str, numbering: Numbering) -> str:
    """Text with marks as one draft shows it: references as numbers, footnotes in place."""
    if "⟦" not in text:
        return text
    return INLINE.sub(lambda match: _shown(match[0], numbering), text)


def word_diff(old: str, new: str, old_numbering: Numbering,
              new_numbering: Numbering) -> Diff:
    """The word changes from ``old`` to ``new`` (texts with marks, compared key-stable,
    shown with each draft's numbers)."""
    old_tokens, new_tokens = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    found: Diff = []

    def add(kind: str, pieces: list[str], numbering: Numbering) -> None:
        text = "".join(_shown(piece, numbering) for piece in pieces)
        if not text:
            return
        if found and found[-1][0] == kind:
            found[-1] = (kind, found[-1][1] + text)
        else:
            found.append((kind, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("same", new_tokens[j1:j2], new_numbering)
        else:
            add("del", old_tokens[i1:i2], old_numbering)
            add("ins", new_tokens[j1:j2], new_numbering)
    return found


def _whole(kind: str, text: str) -> Diff:
    return [(kind, text)] if text else []


# Reading one draft ---------------------------------------------------------------------


def element_text(element: Element) -> str:
    """An element's words with their marks, as one text: a table's title and rows (cells
    joined by " | ", a line each), a term entry's terms, definition, notes and source."""
    if isinstance(element, Table):
        rows = [CELL_SEPARATOR.join(row) for row in element.rows]
        return "\n".join([element.title, *rows])
    if isinstance(element, Figure):
        return element.title
    if isinstance(element, TermEntry):
        term = "；".join([element.preferred, *element.admitted])
        if element.english:
            term = f"{term} {element.english}"
        lines = [term]
        if element.definition:
            lines.append(element.definition)
        lines += [f"{term_note_label(index)}：{note}"
                  for index, note in enumerate(element.notes)]
        if element.source:
            lines.append(f"[来源：{element.source}]")
        return "\n".join(lines)
    return element.text


def _stable(element: Element, text: str) -> str:
    """What decides whether an element changed: its kind, list style and words (marks
    kept, so a renumbered target is no change)."""
    kind = type(element).__name__
    if isinstance(element, ListItem):
        kind = f"{kind}:{element.style}:{element.level}"
    return f"{kind}\x1f{text}"


@dataclass(eq=False)
class _Node:
    """A clause, an annex or 前言/引言/参考文献 of one draft."""

    kind: str
    number: str
    depth: int
    title: str  # with marks
    elements: list[Element]
    real_key: str  # its key, "" when it has none (or shares one with an earlier part)
    parent: _Node | None
    part: Clause | Annex | None  # None for 前言, 引言 and 参考文献
    children: list[_Node] = field(default_factory=list)
    key: str = ""  # the key it is matched by (its own, or one made for the match)


@dataclass(eq=False)
class _Item:
    """An element of one draft, where it stands."""

    element: Element
    node: _Node
    real_key: str
    label: str
    text: str  # element_text(): words with marks
    stable: str
    key: str = ""


class _Draft:
    """One draft read for the comparison: its numbering, its clauses in reading order (the
    章 and annexes also apart, where unkeyed ones are paired) and its elements."""

    def __init__(self, document: Document):
        self.document = document
        self.numbering = number(document)
        self.nodes: list[_Node] = []
        self.body: list[_Node] = []  # the 章
        self.annexes: list[_Node] = []
        seen: set[str] = set()

        def own_key(key: str) -> str:
            if not key or key in seen:
                return ""
            seen.add(key)
            return key

        def add(node: _Node) -> _Node:
            self.nodes.append(node)
            if node.parent is not None:
                node.parent.children.append(node)
            return node

        def clause(item: Clause, depth: int, parent: _Node | None) -> _Node:
            node = add(_Node("clause", self.numbering.number(item), depth, item.title,
                             item.elements, own_key(item.key), parent, item))
            for sub in item.subclauses:
                clause(sub, depth + 1, node)
            return node

        for name in ("foreword", "introduction"):
            if getattr(document, name):
                add(_Node(name, FRONT[name], 1, "", getattr(document, name), own_key(name),
                          None, None))
        self.body = [clause(item, 1, None) for item in document.clauses]
        for annex in document.annexes:
            node = add(_Node("annex", self.numbering.number(annex), 1, _annex_title(annex),
                             annex.elements, own_key(annex.key), None, annex))
            self.annexes.append(node)
            for sub in annex.subclauses:
                clause(sub, 2, node)
        if document.bibliography:
            add(_Node("bibliography", FRONT["bibliography"], 1, "", document.bibliography,
                      own_key("bibliography"), None, None))

        self.items: list[_Item] = []
        for node in self.nodes:
            for element in node.elements:
                text = element_text(element)
                self.items.append(_Item(element, node, own_key(element.key),
                                        self.numbering.label(element), text,
                                        _stable(element, text)))


def _annex_title(annex: Annex) -> str:
    return ("（规范性）" if annex.normative else "（资料性）") + annex.title


def _parent_key(node: _Node) -> str:
    """The key of the clause above; the 章 share "#clause", the annexes "#annex", and
    前言, 引言 and 参考文献 stand alone."""
    if node.parent is not None:
        return node.parent.key
    return f"#{node.kind}"


def _groups(parts: list, parent_of) -> dict[str, list[str]]:
    """The keys of ``parts`` (in order) by the key of what holds them."""
    groups: dict[str, list[str]] = {}
    for part in parts:
        groups.setdefault(parent_of(part), []).append(part.key)
    return groups


# Matching ------------------------------------------------------------------------------


class _Keys:
    """Makes the keys of parts matched (or left alone) without one of their own."""

    def __init__(self):
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"#{self.count}"


def _pair_unkeyed(olds: list, news: list, content, make_key: _Keys) -> list[tuple]:
    """Pair the parts without a key among ``olds`` and ``news`` (siblings of matched
    parents) by their place and ``content``: equal runs pair, and in a replaced run the
    parts most alike, in order."""
    old_free = [part for part in olds if not part.key]
    new_free = [part for part in news if not part.key]
    if not old_free or not new_free:
        return []
    old_texts = [content(part) for part in old_free]
    new_texts = [content(part) for part in new_free]
    matcher = SequenceMatcher(None, old_texts, new_texts, autojunk=False)
    pairs = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            found = list(zip(range(i1, i2), range(j1, j2), strict=True))
        elif tag == "replace":
            found = _alike(old_texts, new_texts, i1, i2, j1, j2)
        else:
            continue
        for i, j in found:
            old_free[i].key = new_free[j].key = make_key()
            pairs.append((old_free[i], new_free[j]))
    return pairs


# Above this many pairs to weigh, a replaced run pairs its parts one by one in order.
_ALIKE_LIMIT = 2500
_ALIKE_AT_LEAST = 0.5  # the share of characters two texts must have in common


def _alike(old_texts: list[str], new_texts: list[str], i1: int, i2: int, j1: int,
           j2: int) -> list[tuple[int, int]]:
    """The pairs of a replaced run: all of them in order when both sides are as long,
    else the order-keeping pairing of the most alike texts."""
    if i2 - i1 == j2 - j1 or (i2 - i1) * (j2 - j1) > _ALIKE_LIMIT:
        return list(zip(range(i1, i2), range(j1, j2), strict=False))

    def ratio(i: int, j: int) -> float:
        matcher = SequenceMatcher(None, old_texts[i], new_texts[j], autojunk=False)
        if matcher.real_quick_ratio() < _ALIKE_AT_LEAST or matcher.quick_ratio() < _ALIKE_AT_LEAST:
            return 0.0
        value = matcher.ratio()
        return value if value >= _ALIKE_AT_LEAST else 0.0

    # best[i][j]: the most likeness pairing old i1+i.. with new j1+j.. can reach.
    rows, columns = i2 - i1, j2 - j1
    best = [[0.0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(columns - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1],
                             ratio(i1 + i, j1 + j) + best[i + 1][j + 1])
    found = []
    i = j = 0
    while i < rows and j < columns:
        if best[i][j] == best[i + 1][j]:
            i += 1
        elif best[i][j] == best[i][j + 1]:
            j += 1
        else:
            found.append((i1 + i, j1 + j))
            i, j = i + 1, j + 1
    return found


def _match_clauses(old: _Draft, new: _Draft, make_key: _Keys) -> None:
    for draft in (old, new):
        for node in draft.nodes:
            node.key = node.real_key
    new_by_key = {node.key: node for node in new.nodes if node.key}
    pending = [(node, new_by_key[node.key]) for node in old.nodes
               if node.key and node.key in new_by_key]
    pending += _pair_unkeyed(old.body, new.body, lambda node: node.title, make_key)
    pending += _pair_unkeyed(old.annexes, new.annexes, lambda node: node.title, make_key)
    while pending:
        old_node, new_node = pending.pop()
        pending += _pair_unkeyed(old_node.children, new_node.children,
                                 lambda node: node.title, make_key)
    for draft in (old, new):
        for node in draft.nodes:
            if not node.key:
                node.key = make_key()


def _match_elements(old: _Draft, new: _Draft, pairs: list[tuple[_Node, _Node]],
                    make_key: _Keys) -> None:
    for draft in (old, new):
        for item in draft.items:
            item.key = item.real_key
    unkeyed = any(not item.key for item in old.items) and any(
        not item.key for item in new.items)
    if unkeyed:
        old_by_node: dict[int, list[_Item]] = {}
        new_by_node: dict[int, list[_Item]] = {}
        for items, by_node in ((old.items, old_by_node), (new.items, new_by_node)):
            for item in items:
                by_node.setdefault(id(item.node), []).append(item)
        for old_node, new_node in pairs:
            _pair_unkeyed(old_by_node.get(id(old_node), []), new_by_node.get(id(new_node), []),
                          lambda item: item.stable, make_key)
    for draft in (old, new):
        for item in draft.items:
            if not item.key:
                item.key = make_key()


def _out_of_order(keys_in_new_order: list[str], old_positions: dict[str, int]) -> set[str]:
    """The keys outside the longest common subsequence of the two orders (the longest
    increasing run of old positions, read in the new order)."""
    positions = [old_positions[key] for key in keys_in_new_order]
    tails: list[int] = []  # the smallest last position of a run of each length
    tail_index: list[int] = []
    previous = [-1] * len(positions)
    for index, position in enumerate(positions):
        length = bisect.bisect_left(tails, position)
        if length == len(tails):
            tails.append(position)
            tail_index.append(index)
        else:
            tails[length] = position
            tail_index[length] = index
        previous[index] = tail_index[length - 1] if length else -1
    kept = set()
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        kept.add(keys_in_new_order[index])
        index = previous[index]
    return set(keys_in_new_order) - kept


def _moved(old_groups: dict[str, list[str]], new_groups: dict[str, list[str]]) -> set[str]:
    """Of the keys both drafts hold under the same parent, those whose order among their
    common siblings changed."""
    moved: set[str] = set()
    for parent, new_keys in new_groups.items():
        old_keys = old_groups.get(parent)
        if not old_keys:
            continue
        old_positions = {key: position for position, key in enumerate(old_keys)}
        common = [key for key in new_keys if key in old_positions]
        if len(common) > 1:
            moved |= _out_of_order(common, old_positions)
    return moved


def _merge(new_order: list[tuple[str, _Node | _Item]],
           old_order: list[tuple[str, _Node | _Item]], anchors: set[str],
           gone: set[str]) -> list[tuple[str, _Node | _Item]]:
    """The new draft's parts in order, with the parts only the old draft holds (``gone``)
    put after the part that stood before them there and stayed in its place (one of
    ``anchors``), or at the start when none did."""
    after: dict[str, list] = {}
    anchor = ""
    for side, part in old_order:
        if part.key in anchors:
            anchor = part.key
        elif part.key in gone:
            after.setdefault(anchor, []).append((side, part))
    merged = list(after.get("", []))
    for side, part in new_order:
        merged.append((side, part))
        merged.extend(after.get(part.key, []))
    return merged


# Comparing -----------------------------------------------------------------------------


def compare(old: Document, new: Document) -> Comparison:
    """The changes from draft ``old`` to draft ``new``."""
    make_key = _Keys()
    before, after = _Draft(old), _Draft(new)
    _match_clauses(before, after, make_key)
    old_nodes = {node.key: node for node in before.nodes}
    new_nodes = {node.key: node for node in after.nodes}
    pairs = [(old_nodes[key], node) for key, node in new_nodes.items() if key in old_nodes]
    _match_elements(before, after, pairs, make_key)
    old_items = {item.key: item for item in before.items}
    new_items = {item.key: item for item in after.items}

    # Moved: another parent, or out of order among the siblings both drafts share.
    moved_clauses = {node.key for earlier, node in pairs
                     if _parent_key(earlier) != _parent_key(node)}
    moved_clauses |= _moved(_groups(before.nodes, _parent_key),
                            _groups(after.nodes, _parent_key))
    moved_items = {item.key for item in after.items if item.key in old_items
                   and old_items[item.key].node.key != item.node.key}
    moved_items |= _moved(_groups(before.items, lambda item: item.node.key),
                          _groups(after.items, lambda item: item.node.key))

    old_items_of = _by_node(before.items)
    new_items_of = _by_node(after.items)
    gone_items = set(old_items) - set(new_items)

    def element_changes(earlier: _Node | None, node: _Node | None) -> list[ElementChange]:
        news = [("new", item) for item in new_items_of.get(node.key, [])] if node else []
        olds = [("old", item) for item in old_items_of.get(earlier.key, [])] \
            if earlier else []
        anchors = {item.key for _side, item in news if item.key not in moved_items}
        changes = []
        for side, item in _merge(news, olds, anchors, gone_items):
            if side == "old":
                changes.append(_element_change(item, None, False, before, after))
            else:
                changes.append(_element_change(old_items.get(item.key), item,
                                               item.key in moved_items, before, after))
        return changes

    anchors = {node.key for node in after.nodes
               if node.key in old_nodes and node.key not in moved_clauses}
    gone_nodes = set(old_nodes) - set(new_nodes)
    clauses = []
    for side, node in _merge([("new", node) for node in after.nodes],
                             [("old", node) for node in before.nodes], anchors, gone_nodes):
        if side == "old":
            clauses.append(_clause_change(node, None, False, element_changes(node, None),
                                          before, after))
        else:
            earlier = old_nodes.get(node.key)
            clauses.append(_clause_change(earlier, node, node.key in moved_clauses,
                                          element_changes(earlier, node), before, after))
    return Comparison(clauses, _cover_changes(before, after))


def _by_node(items: list[_Item]) -> dict[str, list[_Item]]:
    found: dict[str, list[_Item]] = {}
    for item in items:
        found.setdefault(item.node.key, []).append(item)
    return found


def _element_change(earlier: _Item | None, item: _Item | None, moved: bool, before: _Draft,
                    after: _Draft) -> ElementChange:
    if item is None:
        text = shown(earlier.text, before.numbering)
        return ElementChange(earlier.real_key, REMOVED, type(earlier.element).__name__,
                             earlier.label, "", text, "", _whole("del", text))
    new_text = shown(item.text, after.numbering)
    kind = type(item.element).__name__
    if earlier is None:
        return ElementChange(item.real_key, ADDED, kind, "", item.label, "", new_text,
                             _whole("ins", new_text))
    old_text = shown(earlier.text, before.numbering)
    image_changed = (isinstance(item.element, Figure) and isinstance(earlier.element, Figure)
                     and item.element.image != earlier.element.image)
    if earlier.stable == item.stable:
        diff = _whole("same", new_text)
    else:
        diff = word_diff(earlier.text, item.text, before.numbering, after.numbering)
    changed = earlier.stable != item.stable or image_changed
    status = CHANGED if changed else MOVED if moved else SAME
    elsewhere = moved and earlier.node.key != item.node.key
    return ElementChange(item.real_key, status, kind, earlier.label, item.label, old_text,
                         new_text, diff, moved=moved,
                         old_clause_number=earlier.node.number if elsewhere else "",
                         image_changed=image_changed)


def _clause_change(earlier: _Node | None, node: _Node | None, moved: bool,
                   elements: list[ElementChange], before: _Draft,
                   after: _Draft) -> ClauseChange:
    old_title = shown(earlier.title, before.numbering) if earlier else ""
    new_title = shown(node.title, after.numbering) if node else ""
    if earlier is None:
        status, title_diff = ADDED, _whole("ins", new_title)
    elif node is None:
        status, title_diff = REMOVED, _whole("del", old_title)
    else:
        retitled = earlier.title != node.title
        title_diff = (word_diff(earlier.title, node.title, before.numbering, after.numbering)
                      if retitled else _whole("same", new_title))
        changed = retitled or any(element.status != SAME for element in elements)
        status = CHANGED if changed else MOVED if moved else SAME
    shown_node = node or earlier
    return ClauseChange(shown_node.real_key, status, earlier.number if earlier else "",
                        node.number if node else "", old_title, new_title, title_diff,
                        shown_node.depth, moved, elements, kind=shown_node.kind)


def _cover_value(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value or ""


def _cover_changes(before: _Draft, after: _Draft) -> list[CoverChange]:
    changes = []
    for name in COVER_FIELDS:
        old = _cover_value(getattr(before.document, name))
        new = _cover_value(getattr(after.document, name))
        if old != new:
            changes.append(CoverChange(name, old, new,
                                       word_diff(old, new, before.numbering, after.numbering)))
    return changes
