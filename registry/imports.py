"""Importing a system table kept in Excel: check everything, show the plan, then write it
all in one transaction — or nothing.

The workbook is the one ``export_system_table --format xlsx`` writes: a detail sheet (one
row per standard placed on a node, and per open aspect) and, optionally, a structure sheet
listing every node with its parent, from which missing nodes are created. Headers are
recognised in Chinese or English; status and level are derived, never read.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from catalog.models import Standard, Supersession
from catalog.numbers import StandardNumberError, parse_standard_number
from registry.models import Node, Placement
from registry.table_data import COLUMNS

STRUCTURE_KEYS = ("code", "name", "name_en", "clause", "parent")


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self):
        return _("%(sheet)s, row %(row)d, column %(column)s: %(message)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column,
            "message": self.message}


@dataclass
class Plan:
    nodes: list = field(default_factory=list)        # dicts: code, name, … parent
    standards: list = field(default_factory=list)    # dicts: number, title, implemented_on
    updates: list = field(default_factory=list)      # (Standard, {field: value})
    placements: list = field(default_factory=list)   # (node code, number)
    supersessions: list = field(default_factory=list)  # (new number, old number)
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    @property
    def empty(self):
        return not (self.nodes or self.standards or self.updates or self.placements
                    or self.supersessions)


def _labels(mapping):
    """Header text (Chinese and English) → key."""
    result = {}
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            for key, label in mapping.items():
                result[str(label).strip().lower()] = key
    return result


def _structure_labels():
    from registry.exports.tabular import STRUCTURE_COLUMNS

    return _labels(STRUCTURE_COLUMNS)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _sheets(workbook):
    """(detail rows, structure rows) with their header maps, found by their headers."""
    detail_labels, structure_labels = _labels(COLUMNS), _structure_labels()
    detail = structure = None
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if not rows:
            continue
        header = [_text(cell).lower() for cell in rows[0]]
        if "number" in {detail_labels.get(h) for h in header} and detail is None:
            detail = (sheet.title, {i: detail_labels[h] for i, h in enumerate(header)
                                    if h in detail_labels}, rows[1:])
        elif "parent" in {structure_labels.get(h) for h in header} and structure is None:
            structure = (sheet.title, {i: structure_labels[h] for i, h in enumerate(header)
                                       if h in structure_labels}, rows[1:])
    return detail, structure


def plan_import(workbook):
    """Check the workbook against the database; return the plan with every problem."""
    plan = Plan()
    detail, structure = _sheets(workbook)
    if detail is None:
        plan.problems.append(Problem("—", 1, "—", _(
            "No sheet has the columns of the detail table (体系编号, 标准号, 标准名称 …).")))
        return plan
    existing_codes = {code: node for code, node in
                      ((n.code, n) for n in Node.objects.all())}
    known_codes = set(existing_codes)
    if structure:
        _plan_structure(plan, structure, existing_codes, known_codes)
    _plan_detail(plan, detail, known_codes)
    return plan


def _plan_structure(plan, structure, existing, known):
    title, columns, rows = structure
    label = {key: str(COLUMNS.get(key, key)) for key in STRUCTURE_KEYS}
    seen = {}
    for number, raw in enumerate(rows, start=2):
        cells = {key: _text(raw[i]) if i < len(raw) else "" for i, key in columns.items()}
        if not any(cells.values()):
            continue
        code = cells.get("code", "")
        if not code:
            plan.problems.append(Problem(title, number, label["code"], _("The system code is "
                                                                        "missing.")))
            continue
        if code in seen:
            plan.problems.append(Problem(title, number, label["code"], _(
                "The system code %(code)s appears twice (also row %(row)d).")
                % {"code": code, "row": seen[code]}))
            continue
        seen[code] = number
        if not cells.get("name"):
            plan.problems.append(Problem(title, number, str(_("Name")), _("The name is missing.")))
            continue
        parent = cells.get("parent", "")
        if code in existing:
            continue
        if parent and parent not in known and parent not in seen:
            plan.problems.append(Problem(title, number, str(_("Parent code")), _(
                "Unknown parent node %(code)s.") % {"code": parent}))
            continue
        if not parent and Node.objects.get_root_nodes().exists():
            plan.problems.append(Problem(title, number, str(_("Parent code")), _(
                "The system already has a root; give this node a parent.")))
            continue
        plan.nodes.append({**cells, "row": number})
        known.add(code)


def _plan_detail(plan, detail, known_codes):
    title, columns, rows = detail
    label = {key: str(text) for key, text in COLUMNS.items()}
    in_file = {}
    numbers = {}
    standards = {s.number: s for s in Standard.objects.all()}
    placed = set(Placement.objects.values_list("node__code", "standard__number"))
    for number, raw in enumerate(rows, start=2):
        cells = {key: raw[i] if i < len(raw) else None for i, key in columns.items()}
        if not any(_text(v) for v in cells.values()):
            continue
        code = _text(cells.get("code"))
        if not code:
            plan.problems.append(Problem(title, number, label["code"],
                                         _("The system code is missing.")))
            continue
        if code not in known_codes:
            plan.problems.append(Problem(title, number, label["code"], _(
                "Unknown node %(code)s.") % {"code": code}))
            continue
        raw_number = _text(cells.get("number"))
        if not raw_number:
            continue  # an open aspect: nothing to write
        try:
            canonical = parse_standard_number(raw_number).canonical
        except StandardNumberError as exc:
            plan.problems.append(Problem(title, number, label["number"], str(exc)))
            continue
        if (code, canonical) in in_file:
            plan.problems.append(Problem(title, number, label["number"], _(
                "%(number)s is listed twice on node %(code)s (also row %(row)d).")
                % {"number": canonical, "code": code, "row": in_file[(code, canonical)]}))
            continue
        in_file[(code, canonical)] = number
        title_text = _text(cells.get("title"))
        try:
            implemented = _date(cells.get("implemented_on"))
        except ValueError:
            plan.problems.append(Problem(title, number, label["implemented_on"], _(
                "Not a date: write it as YYYY-MM-DD.")))
            continue
        if canonical not in standards and canonical not in numbers:
            if not title_text:
                plan.problems.append(Problem(title, number, label["title"],
                                             _("A new standard needs its title.")))
                continue
            numbers[canonical] = {"number": canonical, "title": title_text,
                                  "implemented_on": implemented,
                                  "remarks": _text(cells.get("remarks")), "row": number}
            plan.standards.append(numbers[canonical])
        elif canonical in standards:
            current = standards[canonical]
            changes = {}
            if title_text and title_text != current.title:
                changes["title"] = title_text
            if implemented and implemented != current.implemented_on:
                changes["implemented_on"] = implemented
            if changes and all(u[0] is not current for u in plan.updates):
                plan.updates.append((current, changes))
        if (code, canonical) not in placed:
            plan.placements.append((code, canonical))
        for old in filter(None, (p.strip() for p in _text(cells.get("replaces")).split(","))):
            try:
                old_number = parse_standard_number(old).canonical
            except StandardNumberError as exc:
                plan.problems.append(Problem(title, number, label["replaces"], str(exc)))
                continue
            plan.supersessions.append((canonical, old_number))
    known_numbers = set(standards) | set(numbers)
    for new, old in plan.supersessions:
        if old not in known_numbers:
            row = in_file.get(next((k for k in in_file if k[1] == new), None), 0)
            plan.problems.append(Problem(title, row, label["replaces"], _(
                "%(old)s, which %(new)s replaces, is neither in the file nor in the "
                "catalog.") % {"old": old, "new": new}))


def apply_import(plan, user, reason):
    """Write the plan in one transaction, every row with its history (user and reason)."""
    if not plan.ok:
        raise ValueError("The plan has problems; nothing is written.")

    def recorded(instance):
        instance._history_user, instance._change_reason = user, reason
        return instance

    with transaction.atomic():
        nodes = {n.code: n for n in Node.objects.all()}
        for item in plan.nodes:
            node = recorded(Node(code=item["code"], name=item["name"],
                                 name_en=item.get("name_en", ""), clause=item.get("clause", "")))
            if item.get("parent"):
                parent = Node.objects.get(pk=nodes[item["parent"]].pk)
                nodes[item["code"]] = Node.objects.add_child(parent, instance=node)
            else:
                node.organization = settings.REGISTRY_ORGANIZATION
                nodes[item["code"]] = Node.objects.add_root(instance=node)
        standards = {s.number: s for s in Standard.objects.all()}
        for item in plan.standards:
            standard = recorded(Standard(number=item["number"], title=item["title"],
                                         implemented_on=item["implemented_on"],
                                         remarks=item["remarks"]))
            standard.save()
            standards[standard.number] = standard
        for standard, changes in plan.updates:
            for name, value in changes.items():
                setattr(standard, name, value)
            recorded(standard).save()
        for code, number in plan.placements:
            recorded(Placement(node=nodes[code], standard=standards[number])).save()
        for new, old in plan.supersessions:
            if not Supersession.objects.filter(new=standards[new], old=standards[old]).exists():
                recorded(Supersession(new=standards[new], old=standards[old])).save()
