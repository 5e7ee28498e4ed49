"""What the text pages show, computed once per request from the loaded text: the outline
with its numbers, the elements of the part being edited with their labels, versions and
forms, cross-reference targets and the checks linked to their places. The pages' queries
do not grow with the text: the parts come in one query, their versions in one more."""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalog.models import Standard
from texts.forms import IMAGE_TYPES, form_for
from texts.models import Part
from texts.rules.checks import FOREWORD, Finding, find_numbers
from texts.rules.structure import (
    Annex,
    Document,
    Figure,
    TermEntry,
    element_texts,
    number,
    plain,
    segments,
    walk,
)
from texts.storage import Loaded

# The sections shown in the outline beside the clauses: (value, label).
SECTIONS = {
    Part.Section.FOREWORD: _("Foreword (前言)"),
    Part.Section.INTRODUCTION: _("Introduction (引言)"),
    Part.Section.BIBLIOGRAPHY: _("Bibliography (参考文献)"),
}


@dataclass
class OutlineEntry:
    part: Part
    number: str
    depth: int
    is_annex: bool

    snippet: str = ""  # an untitled 条's first words, to tell it apart in the outline

    @property
    def heading(self):
        prefix = f"附录{self.number}" if self.is_annex else self.number
        return f"{prefix} {self.part.title}".strip()

    @property
    def label(self):
        """The heading, or for an untitled 条 its number and first words."""
        if self.part.title or not self.snippet:
            return self.heading
        return f"{self.number} {self.snippet}…"


@dataclass
class ElementView:
    part: Part
    node: object
    label: str
    version: str = ""
    form: object = None
    standards: list = field(default_factory=list)  # (number as printed, catalog standard)


@dataclass
class Place:
    finding: Finding
    url: str


@dataclass
class Editor:
    loaded: Loaded
    numbering: object
    outline: list[OutlineEntry] = field(default_factory=list)
    selected: Part | None = None
    section: str = Part.Section.BODY
    heading: str = ""
    elements: list[ElementView] = field(default_factory=list)
    subclauses: list[OutlineEntry] = field(default_factory=list)
    targets: list[tuple[str, str]] = field(default_factory=list)  # (key, shown)
    selected_version: str = ""
    selected_form: object = None


def versions(parts):
    """The version (latest history row id) of each part, in one query."""
    model = Part.history.model
    rows = (model.objects.filter(id__in=[p.pk for p in parts]).values("id")
            .annotate(latest=Max("history_id")))
    return {row["id"]: str(row["latest"]) for row in rows}


def build(loaded: Loaded, selected: str = "", editing: bool = True) -> Editor:
    document = loaded.document
    numbering = number(document)
    editor = Editor(loaded=loaded, numbering=numbering)
    parts = loaded.parts
    for place in walk(document):
        first = place.clause.elements[0] if place.clause.elements else None
        snippet = plain(getattr(first, "text", ""), numbering)[:12] if first else ""
        editor.outline.append(OutlineEntry(parts[place.clause.key], place.number, place.depth,
                                           isinstance(place.clause, Annex), snippet))
    for entry, place in zip(editor.outline, walk(document), strict=True):
        # A clause by its number and title (an untitled 条 by its first words), as the
        # outline names it: "4.3" alone is hard to pick from a long list.
        shown = numbering.reference(entry.part.key)
        if shown != "??":
            editor.targets.append((entry.part.key, f"{shown} {entry.label.partition(' ')[2]}"
                                   .strip()))
        for element in place.clause.elements:
            shown = numbering.by_key.get(element.key)
            if shown and not shown.startswith(("注", "示例")) and shown[0] not in "—·" \
                    and not shown.endswith(")"):
                title = element.preferred if isinstance(element, TermEntry) else element.title
                editor.targets.append((element.key, f"{shown} {title}".strip()))

    if selected in SECTIONS:
        editor.section = selected
        editor.heading = str(SECTIONS[selected])
        nodes = {Part.Section.FOREWORD: document.foreword,
                 Part.Section.INTRODUCTION: document.introduction,
                 Part.Section.BIBLIOGRAPHY: document.bibliography}[selected]
    else:
        entry = next((e for e in editor.outline if str(e.part.pk) == selected),
                     editor.outline[0] if editor.outline else None)
        if entry is None:
            return editor
        editor.selected = entry.part
        editor.heading = entry.heading
        node = loaded.nodes[entry.part.key]
        nodes = node.elements
        editor.subclauses = [e for e in editor.outline if e.part.parent_id == entry.part.pk]
    shown = [parts[node.key] for node in nodes]
    found = versions(shown + ([editor.selected] if editor.selected else [])) if editing else {}
    for node in nodes:
        part = parts[node.key]
        view = ElementView(part, node, numbering.label(node), found.get(part.pk, ""))
        if editing:
            view.form = form_for(part)
        editor.elements.append(view)
    if editor.selected is not None and editing:
        editor.selected_version = found.get(editor.selected.pk, "")
        editor.selected_form = form_for(editor.selected)
    return editor


def reading(loaded: Loaded, editor: Editor) -> list[dict]:
    """The whole text in reading order as blocks: 前言, 引言, each clause and annex with
    its own elements, 参考文献 — each element with its label and row."""
    numbering, parts = editor.numbering, loaded.parts

    def elements(nodes):
        return [ElementView(parts[node.key], node, numbering.label(node)) for node in nodes]

    document = loaded.document
    blocks = [{"heading": "前言", "depth": 1, "elements": elements(document.foreword)}
              ] if document.foreword else []
    if document.introduction:
        blocks.append({"heading": "引言", "depth": 1,
                       "elements": elements(document.introduction)})
    for entry in editor.outline:
        blocks.append({"entry": entry, "depth": entry.depth,
                       "elements": elements(loaded.nodes[entry.part.key].elements)})
    if document.bibliography:
        blocks.append({"heading": "参考文献", "depth": 1,
                       "elements": elements(document.bibliography)})
    for block in blocks:
        block["footnotes"] = [
            (segment.text.rstrip(")"), segment.value)
            for element in block["elements"]
            for index, text in enumerate(element_texts(element.node))
            for segment in segments(text, numbering, element.node, index)
            if segment.kind == "footnote"]
    return blocks


def image_uri(figure: Figure) -> str:
    """A frozen figure's image as a data: URI, for a page that has no row to serve it
    from; "" when the bytes are no image the upload would have taken (PNG, JPEG, GIF)."""
    kind = next((kind for magic, kind in IMAGE_TYPES.items()
                 if figure.image.startswith(magic)), None)
    if kind is None:
        return ""
    return f"data:image/{kind};base64,{base64.b64encode(figure.image).decode('ascii')}"


def document_reading(document: Document, numbering=None) -> list[dict]:
    """A document without its rows (a frozen draft) in reading order, as ``reading()``
    gives a text's: blocks of 前言, 引言 and 参考文献 (``front``), each clause and annex
    (``title``; ``is_annex``, ``normative``) — each with its ``key``, ``heading``,
    ``number``, ``depth``, ``elements`` (``key``, ``label``, ``node``, and a figure's
    ``image`` as a data: URI) and ``footnotes``."""
    numbering = numbering or number(document)

    def elements(nodes):
        return [{"key": node.key, "label": numbering.label(node), "node": node,
                 "image": image_uri(node) if isinstance(node, Figure) else ""}
                for node in nodes]

    blocks = []
    for key, heading, nodes in (("foreword", "前言", document.foreword),
                                ("introduction", "引言", document.introduction)):
        if nodes:
            blocks.append({"key": key, "heading": heading, "number": heading, "depth": 1,
                           "front": True, "elements": elements(nodes)})
    for place in walk(document):
        clause = place.clause
        block = {"key": clause.key, "number": place.number, "depth": place.depth,
                 "title": clause.title, "elements": elements(clause.elements)}
        if isinstance(clause, Annex):
            block.update(is_annex=True, normative=clause.normative,
                         heading=f"附录{place.number} {clause.title}".strip())
        else:
            block["heading"] = f"{place.number} {clause.title}".strip()
        blocks.append(block)
    if document.bibliography:
        blocks.append({"key": "bibliography", "heading": "参考文献", "number": "参考文献",
                       "depth": 1, "front": True, "elements": elements(document.bibliography)})
    for block in blocks:
        block["footnotes"] = [
            (segment.text.rstrip(")"), segment.value)
            for element in block["elements"]
            for index, text in enumerate(element_texts(element["node"]))
            for segment in segments(text, numbering, element["node"], index)
            if segment.kind == "footnote"]
    return blocks


def cited_standards(blocks: list[dict]) -> None:
    """Link the entries of 2 规范性引用文件 and of 参考文献 to the catalog: each element of
    those blocks gets ``standards``, the (number as printed, catalog standard or None) of
    the numbers it begins with. One query for them all; an undated number means the newest
    edition, as GB/T 1.1 reads it."""
    wanted = []
    for block in blocks:
        entry = block.get("entry")
        listing = block.get("heading") == "参考文献" or (
            entry is not None and entry.depth == 1 and "".join(entry.part.title.split())
            == "规范性引用文件")
        if not listing:
            continue
        for element in block["elements"]:
            numbers = find_numbers(getattr(element.node, "text", ""))[:1]
            element.standards = [(n, None) for n in numbers]
            wanted.extend(numbers)
    if not wanted:
        return
    codes = {(n.code, n.serial) for n in wanted}
    query = Q(pk__in=[])
    for code, serial in codes:
        query |= Q(code=code, serial=serial)
    editions = defaultdict(list)
    for standard in (Standard.objects.with_status().filter(query)
                     .order_by(F("year").desc(nulls_last=True))):
        editions[(standard.code, standard.serial)].append(standard)
    for block in blocks:
        for element in block["elements"]:
            found = []
            for cited, _none in getattr(element, "standards", []):
                candidates = editions.get((cited.code, cited.serial), [])
                match = (next((s for s in candidates if s.number == cited.canonical), None)
                         if cited.is_dated else (candidates[0] if candidates else None))
                found.append((cited.printed or cited.canonical, match))
            element.standards = found


def places(editor: Editor, findings: list[Finding], edit_url: str) -> list[Place]:
    """Each finding with the link to where it is: its clause, or the 前言."""
    by_number = {entry.number: entry.part.pk for entry in editor.outline}
    by_number.update({f"附录{entry.number}": entry.part.pk for entry in editor.outline
                      if entry.is_annex})
    linked = []
    for finding in findings:
        if finding.place == FOREWORD:
            target = Part.Section.FOREWORD
        else:
            # A term entry's or element's number ("3.2") falls back to its clause ("3").
            place = finding.place
            while place and place not in by_number:
                place = place.rpartition(".")[0]
            target = by_number.get(place, "")
        linked.append(Place(finding, f"{edit_url}?part={target}" if target else edit_url))
    return linked


def edit_url(text):
    return reverse("texts:edit", args=[text.pk])
