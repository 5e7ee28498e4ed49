"""Importing a system table kept in Excel or CSV: check everything, show the plan, then write
it all in one transaction — or nothing.

The file is what ``export_system_table --format xlsx|csv`` writes, or a table with the
columns of the GB/T 13016-2018 detail table (明细表) made by hand: a detail sheet (one row
per standard placed on a node, and per open aspect) and, optionally, a structure sheet
listing every node with its parent, from which missing nodes are created. Without a
structure sheet (a CSV) missing nodes are created from the subsystem, category and aspect
columns ("code name"). Headers are recognised in Chinese or English, including those of
earlier exports (体系编号, 标准号, 代替). Level is derived from the number, never read;
status is derived from the dates, and the 状态 column only sets "in development" and is
checked against the withdrawal date.

Every check the pages' forms make is made here (field lengths, code format, a standard
replacing itself, supersession cycles, dates), so a plan without problems writes without
an error. Reading the file is in ``registry/import_files.py``.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from audit.text import refuse_invisible_characters, refuse_invisible_characters_in_lines
from catalog.choices import AdoptionDegree, Status
from catalog.models import Standard, Supersession
from catalog.numbers import StandardNumberError, parse_standard_number
from registry.actions.nodes import CODE_FORMAT
from registry.models import Node, Placement
from registry.table_data import COLUMNS, GROUP_COLUMNS

STRUCTURE_KEYS = ("code", "name", "name_en", "clause", "parent", "remarks", "organization")

# Column names as other tables print them: GB/T 13016-2018's own (Chinese) names and the
# headers of this registry's earlier exports. The translated labels are added to these.
HEADER_ALIASES = {
    "seq": ("序号",),
    "code": ("标准体系表编号", "体系表编号", "体系编号", "system code"),
    "number": ("标准编号", "标准号"),
    "title": ("标准名称",),
    "level": ("宜定级别", "级别"),
    "implemented_on": ("实施日期",),
    "adoption": ("国际国外标准号及采用关系", "采用关系", "采用国际标准"),
    "replaces": ("被代替标准号或作废", "被代替标准号", "代替标准号", "代替", "replaces"),
    "remarks": ("备注",),
    "status": ("状态",),
    "withdrawn_on": ("废止日期", "作废日期"),
    "subsystem": ("子体系",),
    "category": ("类别",),
    "aspect": ("方面",),
}
STRUCTURE_ALIASES = {
    "code": ("体系编号", "system code"), "name": ("名称",), "name_en": ("英文名称",),
    "clause": ("依据条款",), "parent": ("上级体系编号",), "remarks": ("备注",),
    "organization": ("组织", "单位"),
}
# Status words of Chinese tables besides the labels.
STATUS_ALIASES = {"现行": Status.CURRENT, "有效": Status.CURRENT, "即将实施": Status.UPCOMING,
                  "被代替": Status.SUPERSEDED, "废止": Status.WITHDRAWN, "作废": Status.WITHDRAWN,
                  "制定中": Status.IN_DEVELOPMENT, "待制定": None, "拟制定": None}
LIST_SEPARATORS = re.compile(r"[,，;；、]")
DEGREE = re.compile(r"(?<![A-Za-z])(IDT|MOD|NEQ|idt|mod|neq|eqv|EQV)(?![A-Za-z])")


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
    node_updates: list = field(default_factory=list)  # (Node, {field: value})
    standards: list = field(default_factory=list)    # dicts: number, title, dates, …
    outside: list = field(default_factory=list)      # numbers of replaced editions not placed
    updates: list = field(default_factory=list)      # (Standard, {field: value})
    placements: list = field(default_factory=list)   # (node code, number, note)
    notes: list = field(default_factory=list)        # (Placement, note)
    supersessions: list = field(default_factory=list)  # (new number, old number)
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    @property
    def empty(self):
        return not (self.nodes or self.node_updates or self.standards or self.updates
                    or self.placements or self.notes or self.supersessions)

    def summary(self):
        return _("%(nodes)d nodes, %(standards)d new standards (%(outside)d of them replaced "
                 "editions not placed), %(updates)d changed standards, %(placements)d "
                 "placements, %(supersessions)d supersessions") % {
            "nodes": len(self.nodes), "standards": len(self.standards),
            "outside": len(self.outside), "updates": len(self.updates) + len(self.notes)
            + len(self.node_updates), "placements": len(self.placements),
            "supersessions": len(self.supersessions)}


def _labels(mapping, aliases):
    """Header text (as written, lower case) → key: the aliases and the labels in Chinese
    and English."""
    result = {alias.lower(): key for key, names in aliases.items() for alias in names}
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            for key, label in mapping.items():
                result[str(label).strip().lower()] = key
    return result


def detail_labels():
    return _labels({**COLUMNS, **GROUP_COLUMNS}, HEADER_ALIASES)


def structure_labels():
    from registry.exports.tabular import STRUCTURE_COLUMNS

    return _labels(STRUCTURE_COLUMNS, STRUCTURE_ALIASES)


def status_words():
    words = dict(STATUS_ALIASES)
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            for status in Status:
                words[str(status.label).lower()] = status
            words[str(_("To be written")).lower()] = None
    return words


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def _max(model, name):
    return model._meta.get_field(name).max_length


def _refused(model, name, value):
    """The message of the field's own validators (those the forms run, such as no invisible
    or control characters in names and titles), or None."""
    try:
        model._meta.get_field(name).run_validators(value)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def _find_tables(tables):
    """(detail, structure), each (sheet title, {column index: key}, rows) or None."""
    detail_map, structure_map = detail_labels(), structure_labels()
    detail = structure = None
    for title, rows in tables:
        if not rows:
            continue
        header = [_text(cell).lower() for cell in rows[0]]
        keys = {detail_map.get(h) for h in header}
        if "number" in keys and "code" in keys and detail is None:
            detail = (title, {i: detail_map[h] for i, h in enumerate(header)
                              if h in detail_map}, rows[1:])
        elif "parent" in {structure_map.get(h) for h in header} and structure is None:
            structure = (title, {i: structure_map[h] for i, h in enumerate(header)
                                 if h in structure_map}, rows[1:])
    return detail, structure


# Columns whose cells may hold several lines (a remark typed with Alt+Enter).
LINE_COLUMNS = ("remarks",)


def _check_text(plan, table, labels):
    """Every cell of the columns read goes through the pages' text rule (``audit.text``):
    no control or invisible character, no line break outside the remarks."""
    title, columns, rows = table
    for number, raw in enumerate(rows, start=2):
        for index, key in columns.items():
            value = _text(raw[index]) if index < len(raw) else ""
            validator = (refuse_invisible_characters_in_lines if key in LINE_COLUMNS
                         else refuse_invisible_characters)
            try:
                validator(value)
            except ValidationError as exc:
                plan.problems.append(Problem(title, number, str(labels.get(key, key)),
                                             " ".join(exc.messages)))


def plan_import(tables, progress=None):
    """Check the tables (``[(sheet title, rows)]``, see ``registry.import_files``) against
    the database; return the plan with every problem. ``progress(fraction)`` is called as
    the detail rows are checked (an import preview job shows it)."""
    plan = Plan()
    detail, structure = _find_tables(tables)
    if detail is None:
        plan.problems.append(Problem("—", 1, "—", _(
            "No sheet has the columns of the detail table (标准体系表编号, 标准编号, "
            "标准名称 …).")))
        return plan
    from registry.exports.tabular import STRUCTURE_COLUMNS

    for table, labels in ((detail, {**COLUMNS, **GROUP_COLUMNS}), (structure, STRUCTURE_COLUMNS)):
        if table:
            _check_text(plan, table, labels)
    if plan.problems:
        return plan  # nothing else is checked in a text that is not what it looks like
    existing = {n.code: n for n in Node.objects.all()}
    known = set(existing)
    if structure:
        _plan_structure(plan, structure, existing, known)
    else:
        _plan_groups(plan, detail, existing, known)
    _plan_detail(plan, detail, existing, known, progress)
    return plan


def preview(plan):
    """What the preview page shows, as plain text (a preview job keeps it as JSON)."""
    rows = []
    for item in plan.nodes:
        rows.append([_("New node"), f"{item['code']} {item['name']}",
                     _("under %(code)s") % {"code": item["parent"]} if item.get("parent")
                     else ""])
    for node, changes in plan.node_updates:
        rows.append([_("Changed node"), f"{node.code} {node.name}", _changes(changes)])
    for item in plan.standards:
        kind = (_("New replaced edition (not placed)") if item["number"] in plan.outside
                else _("New standard"))
        rows.append([kind, item["number"], item["title"]])
    for standard, changes in plan.updates:
        rows.append([_("Changed standard"), standard.number, _changes(changes)])
    for code, number, note in plan.placements:
        rows.append([_("Placement"), number, _("on %(code)s") % {"code": code}
                     + (f" ({note})" if note else "")])
    for placement, note in plan.notes:
        rows.append([_("Changed remarks"), placement.standard.number,
                     f"{placement.node.code}: {note}"])
    for new, old in plan.supersessions:
        rows.append([_("Supersession"), new, _("replaces %(old)s") % {"old": old}])
    return {"ok": plan.ok, "empty": plan.empty, "summary": str(plan.summary()),
            "problems": [str(p) for p in sorted(plan.problems, key=lambda p: (p.sheet, p.row))],
            "rows": [[str(cell) for cell in row] for row in rows]}


def _changes(changes):
    return "; ".join(f"{key}: {value}" for key, value in changes.items())


def _check_node_cells(plan, title, number, cells, label):
    """The node form's checks; True when the cells are fine."""
    ok = True
    code = cells.get("code", "")
    if code and (not CODE_FORMAT.match(code) or len(code) > _max(Node, "code")):
        plan.problems.append(Problem(title, number, label["code"], _(
            "A system code is letters and digits joined by “-” or “.”, for example 201-03; "
            "“%(code)s” is not.") % {"code": code}))
        ok = False
    for key in ("name", "name_en", "clause", "remarks", "organization"):
        limit = _max(Node, key)
        if len(cells.get(key) or "") > limit:
            plan.problems.append(Problem(title, number, label.get(key, key), _(
                "At most %(limit)d characters (this has %(length)d).")
                % {"limit": limit, "length": len(cells[key])}))
            ok = False
        elif cells.get(key) and (message := _refused(Node, key, cells[key])):
            plan.problems.append(Problem(title, number, label.get(key, key), message))
            ok = False
    return ok


def _plan_structure(plan, structure, existing, known):
    from registry.exports.tabular import STRUCTURE_COLUMNS

    title, columns, rows = structure
    label = {key: str(text) for key, text in STRUCTURE_COLUMNS.items()}
    seen = {}
    has_root = Node.objects.get_root_nodes().exists()
    for number, raw in enumerate(rows, start=2):
        cells = {key: _text(raw[i]) if i < len(raw) else "" for i, key in columns.items()}
        if not any(cells.values()):
            continue
        code = cells.get("code", "")
        if not code:
            plan.problems.append(Problem(title, number, label["code"],
                                         _("The system code is missing.")))
            continue
        if code in seen:
            plan.problems.append(Problem(title, number, label["code"], _(
                "The system code %(code)s appears twice (also row %(row)d).")
                % {"code": code, "row": seen[code]}))
            continue
        seen[code] = number
        if not cells.get("name"):
            plan.problems.append(Problem(title, number, label["name"],
                                         _("The name is missing.")))
            continue
        if not _check_node_cells(plan, title, number, cells, label):
            continue
        parent = cells.get("parent", "")
        if code in existing:
            node = existing[code]
            changes = {key: cells[key] for key in ("remarks", "organization")
                       if cells.get(key) and cells[key] != (getattr(node, key) or "")}
            if changes:
                plan.node_updates.append((node, changes))
            continue
        if parent and parent not in known and parent not in seen:
            plan.problems.append(Problem(title, number, label["parent"], _(
                "Unknown parent node %(code)s.") % {"code": parent}))
            continue
        if not parent and (has_root or any(not n.get("parent") for n in plan.nodes)):
            plan.problems.append(Problem(title, number, label["parent"], _(
                "The system already has a root; give this node a parent.")))
            continue
        plan.nodes.append({**cells, "row": number})
        known.add(code)


def _plan_groups(plan, detail, existing, known):
    """Without a structure sheet: the nodes named in the subsystem, category and aspect
    columns ("100 基础通用标准") that the system lacks are created under its root."""
    title, columns, rows = detail
    if not {"subsystem", "category", "aspect"} & set(columns.values()):
        return
    root = Node.objects.get_root_nodes().first()
    root_code = root.code if root else None
    for number, raw in enumerate(rows, start=2):
        cells = {key: _text(raw[i]) if i < len(raw) else "" for i, key in columns.items()}
        parent = root_code
        for key in ("subsystem", "category", "aspect"):
            text = cells.get(key, "")
            if not text:
                continue
            code, _space, name = text.partition(" ")
            node_cells = {"code": code, "name": name.strip()}
            if code not in known:
                if parent is None:
                    plan.problems.append(Problem(title, number, str(GROUP_COLUMNS[key]), _(
                        "There is no system to add %(node)s to: import the XLSX export, "
                        "whose structure sheet holds the whole tree, or create the system "
                        "first.") % {"node": text}))
                    break
                if not node_cells["name"]:
                    plan.problems.append(Problem(title, number, str(GROUP_COLUMNS[key]),
                                                 _("The name is missing.")))
                    break
                if not _check_node_cells(plan, title, number, node_cells,
                                         {"code": str(GROUP_COLUMNS[key]),
                                          "name": str(GROUP_COLUMNS[key])}):
                    break
                plan.nodes.append({**node_cells, "parent": parent, "row": number})
                known.add(code)
            parent = code


def _parse_adoption(text):
    """``ISO 9001:2015, IDT`` (or ``IDT ISO 9001:2015``) → (number, degree)."""
    match = DEGREE.search(text)
    degree = match.group(1).upper().replace("EQV", "MOD") if match else ""
    number = DEGREE.sub(" ", text) if match else text
    number = re.sub(r"\s+", " ", number.strip(" ,，;；()（）")).strip()
    return number, degree


def _plan_detail(plan, detail, existing_nodes, known_codes, progress=None):
    title, columns, rows = detail
    label = {key: str(text) for key, text in {**COLUMNS, **GROUP_COLUMNS}.items()}
    statuses = status_words()
    withdrawn_words = {w for w, s in statuses.items() if s == Status.WITHDRAWN}
    gap_words = set()
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            gap_words.add(str(_("gap")).lower())
    in_file = {}        # (node code, number) → row
    rows_of = {}        # number → first row placing or listing it
    new = {}            # number → dict of a new standard
    standards = {s.number: s for s in Standard.objects.all()}
    placements = {(p.node.code, p.standard.number): p
                  for p in Placement.objects.select_related("node", "standard")}
    planned_links = []  # (new number, old number, row)
    linked = set()
    updated = set()     # ids of standards already changed by an earlier row
    for number, raw in enumerate(rows, start=2):
        if progress and number % 500 == 0:
            progress(number / len(rows))
        cells = {key: raw[i] if i < len(raw) else None for i, key in columns.items()}
        if not any(_text(v) for v in cells.values()):
            continue

        def problem(key, message, row=number):
            plan.problems.append(Problem(title, row, label.get(key, key), message))

        code = _text(cells.get("code"))
        if not code:
            problem("code", _("The system code is missing."))
            continue
        if code not in known_codes:
            problem("code", _("Unknown node %(code)s.") % {"code": code})
            continue
        remarks = _text(cells.get("remarks"))
        raw_number = _text(cells.get("number"))
        if not raw_number:
            # An open aspect: its remarks are the node's.
            if remarks.lower() in gap_words:
                remarks = ""
            if len(remarks) > _max(Node, "remarks"):
                problem("remarks", _("At most %(limit)d characters (this has %(length)d).")
                        % {"limit": _max(Node, "remarks"), "length": len(remarks)})
            elif remarks and code in existing_nodes and \
                    remarks != (existing_nodes[code].remarks or "") and \
                    all(n is not existing_nodes[code] for n, _c in plan.node_updates):
                plan.node_updates.append((existing_nodes[code], {"remarks": remarks}))
            elif remarks and code not in existing_nodes:
                for item in plan.nodes:
                    if item["code"] == code:
                        item["remarks"] = remarks
            continue
        try:
            canonical = parse_standard_number(raw_number).canonical
        except StandardNumberError as exc:
            problem("number", str(exc))
            continue
        if len(canonical) > _max(Standard, "number"):
            problem("number", _("At most %(limit)d characters (this has %(length)d).")
                    % {"limit": _max(Standard, "number"), "length": len(canonical)})
            continue
        if (code, canonical) in in_file:
            problem("number", _("%(number)s is listed twice on node %(code)s (also row "
                                "%(row)d).") % {"number": canonical, "code": code,
                                                "row": in_file[(code, canonical)]})
            continue
        in_file[(code, canonical)] = number
        rows_of.setdefault(canonical, number)
        fields = _standard_fields(cells, problem, statuses)
        if fields is None:
            continue
        if len(remarks) > _max(Placement, "note"):
            problem("remarks", _("At most %(limit)d characters (this has %(length)d).")
                    % {"limit": _max(Placement, "note"), "length": len(remarks)})
            continue
        current = standards.get(canonical)
        if current is None and canonical not in new:
            if not fields.get("title"):
                problem("title", _("A new standard needs its title."))
                continue
            new[canonical] = {"number": canonical, "row": number, **fields}
            plan.standards.append(new[canonical])
        elif current is not None:
            changes = {key: value for key, value in fields.items()
                       if value not in (None, "") and value != getattr(current, key)}
            if fields.get("is_draft") is False and current.is_draft:
                changes["is_draft"] = False
            issued = current.issued_on
            implemented = changes.get("implemented_on")
            if implemented and issued and implemented < issued:
                problem("implemented_on", _(
                    "The implementation date cannot be before the issue date (%(date)s).")
                    % {"date": issued.isoformat()})
                continue
            if changes and current.pk not in updated:
                updated.add(current.pk)
                plan.updates.append((current, changes))
        # The 备注 shown is the placement's note, else the standard's remarks: only a
        # different text is a note of this placement.
        own = current.remarks if current is not None else ""
        placement = placements.get((code, canonical))
        if placement is None:
            plan.placements.append((code, canonical, "" if remarks == own else remarks))
        elif remarks != (placement.note or own):
            plan.notes.append((placement, remarks))
        for old in filter(None, (p.strip() for p in
                                 LIST_SEPARATORS.split(_text(cells.get("replaces"))))):
            if old.lower() in withdrawn_words:
                continue  # "作废": the withdrawal date says when
            try:
                old_number = parse_standard_number(old).canonical
            except StandardNumberError as exc:
                problem("replaces", str(exc))
                continue
            if old_number == canonical:
                problem("replaces", _("A standard cannot replace itself."))
                continue
            if (canonical, old_number) not in linked:
                linked.add((canonical, old_number))
                planned_links.append((canonical, old_number, number))
    _plan_supersessions(plan, planned_links, standards, new, title, label["replaces"])


def _standard_fields(cells, problem, statuses):
    """The catalog fields a detail row gives, checked; None (with the problem recorded) when
    one is wrong."""
    fields = {"title": _text(cells.get("title"))}
    if len(fields["title"]) > _max(Standard, "title"):
        problem("title", _("At most %(limit)d characters (this has %(length)d).")
                % {"limit": _max(Standard, "title"), "length": len(fields["title"])})
        return None
    if message := _refused(Standard, "title", fields["title"]):
        problem("title", message)
        return None
    for key in ("implemented_on", "withdrawn_on"):
        try:
            fields[key] = _date(cells.get(key))
        except ValueError:
            problem(key, _("Not a date: write it as YYYY-MM-DD."))
            return None
    adoption = _text(cells.get("adoption"))
    if adoption:
        adopted, degree = _parse_adoption(adoption)
        if len(adopted) > _max(Standard, "adopted_number"):
            problem("adoption", _("At most %(limit)d characters (this has %(length)d).")
                    % {"limit": _max(Standard, "adopted_number"), "length": len(adopted)})
            return None
        if degree and degree not in AdoptionDegree.values:
            problem("adoption", _("The degree of adoption is IDT, MOD or NEQ."))
            return None
        fields["adopted_number"], fields["adoption_degree"] = adopted or None, degree or None
    status_text = _text(cells.get("status")).lower()
    if status_text:
        if status_text not in statuses:
            problem("status", _("Unknown status “%(status)s”.") % {"status": status_text})
            return None
        status = statuses[status_text]
        if status == Status.WITHDRAWN and not fields["withdrawn_on"]:
            problem("withdrawn_on", _("A withdrawn standard needs its withdrawal date."))
            return None
        if status == Status.IN_DEVELOPMENT:
            fields["is_draft"] = True
        elif status in (Status.CURRENT, Status.UPCOMING):
            fields["is_draft"] = False
    return fields


def _plan_supersessions(plan, links, standards, new, title, column):
    """Links to editions neither placed nor in the catalog create those editions (superseded,
    not placed); a link that closes a cycle is refused."""
    for new_number, old_number, row in links:
        if old_number not in standards and old_number not in new:
            successor = standards.get(new_number) or new.get(new_number)
            new[old_number] = {
                "number": old_number, "row": row,
                # The replaced edition has, as a rule, the title its successor kept.
                "title": successor["title"] if isinstance(successor, dict)
                else successor.title,
                "implemented_on": None, "withdrawn_on": None}
            plan.standards.append(new[old_number])
            plan.outside.append(old_number)
    # Cycles: the catalog's supersessions and the file's, walked from each new link.
    graph = {}
    for new_number, old_number in Supersession.objects.values_list("new__number",
                                                                    "old__number"):
        graph.setdefault(new_number, set()).add(old_number)
    for new_number, old_number, row in links:
        if _reaches(graph, old_number, new_number):
            plan.problems.append(Problem(title, row, column, _(
                "%(new)s replacing %(old)s would close a cycle of supersessions (%(old)s "
                "already replaces %(new)s, directly or through other editions).")
                % {"new": new_number, "old": old_number}))
            continue
        graph.setdefault(new_number, set()).add(old_number)
        plan.supersessions.append((new_number, old_number))


def _reaches(graph, start, goal):
    stack, seen = [start], set()
    while stack:
        current = stack.pop()
        if current == goal:
            return True
        if current in seen:
            continue
        seen.add(current)
        stack.extend(graph.get(current, ()))
    return False


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
                                 name_en=item.get("name_en", ""), clause=item.get("clause", ""),
                                 remarks=item.get("remarks") or None))
            if item.get("parent"):
                parent = Node.objects.get(pk=nodes[item["parent"]].pk)
                nodes[item["code"]] = Node.objects.add_child(parent, instance=node)
            else:
                node.organization = item.get("organization") or ""
                nodes[item["code"]] = Node.objects.add_root(instance=node)
        for node, changes in plan.node_updates:
            node = Node.objects.get(pk=node.pk)
            for name, value in changes.items():
                setattr(node, name, value)
            recorded(node).save()
        standards = {s.number: s for s in Standard.objects.all()}
        for item in plan.standards:
            values = {key: item[key] for key in (
                "title", "implemented_on", "withdrawn_on", "adopted_number", "adoption_degree",
                "is_draft") if item.get(key) is not None}
            standard = recorded(Standard(number=item["number"], **values))
            standard.save()
            standards[standard.number] = standard
        for standard, changes in plan.updates:
            for name, value in changes.items():
                setattr(standard, name, value)
            recorded(standard).save()
        for code, number, note in plan.placements:
            recorded(Placement(node=nodes[code], standard=standards[number], note=note)).save()
        for placement, note in plan.notes:
            placement.note = note
            recorded(placement).save()
        for new, old in plan.supersessions:
            if not Supersession.objects.filter(new=standards[new], old=standards[old]).exists():
                recorded(Supersession(new=standards[new], old=standards[old])).save()
