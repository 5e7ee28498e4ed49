"""Importing a system table kept in Excel or CSV: check everything, show the plan, then write
it all in one transaction — or nothing.

The file is what ``export_system_table --format xlsx|csv`` writes, or a table with the
columns of the GB/T 13016-2018 detail table (明细表) made by hand: a detail sheet (one row
per standard placed on a node, and per open aspect) and, optionally, a structure sheet
listing every node with its parent, from which missing nodes are created. Without a
structure sheet (a CSV) missing nodes are created from the subsystem, category and aspect
columns ("code name"). Headers are recognised in Chinese or English, including those of
earlier exports (体系编号, 标准号, 代替). Level is derived from the number, never read.

The number cell keeps what is printed with the number: the adopted international
standard (``GB/T 19001-2016/ISO 9001:2015``: a double number is an identical adoption,
GB/T 20000.2), the edition note (``（2018年版）``), the printed form when it differs from
the canonical one, and the editions written after 代替 in the same cell.

Status follows from the dates and supersessions (``catalog.Standard.with_status``): the
状态 column sets "in development", and where it says something the data will not give
(被代替 with no successor, 现行 past its withdrawal date …) the preview warns, with the
reason, what the status will be. Importing the same file twice writes nothing the second
time.

Every check the pages' forms make is made here (field lengths, code format, a standard
replacing itself, supersession cycles, dates), so a plan without problems writes without
an error. Reading the file is in ``registry/rules/import_files.py``; the plan is written by
``registry.actions.imports.ApplyImport``.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from audit.text import refuse_invisible_characters, refuse_invisible_characters_in_lines
from catalog.models import Amendment, Standard, Supersession
from catalog.models.choices import AdoptionDegree, Status
from catalog.rules.numbers import StandardNumberError, parse_standard_number, split_replaced
from organizations.rules import current_organization
from registry.models import Node, Placement
from registry.rules.exports.tabular import STRUCTURE_COLUMNS
from registry.rules.import_templates import match_template, template_for_import
from registry.rules.tree import scope
from registry.rules.tree.as_of import in_force, status_on
from registry.rules.tree.codes import CODE_FORMAT
from registry.rules.tree.table_data import COLUMNS, EXTRA_COLUMNS, GROUP_COLUMNS

# Who may import: the permissions of everything an import may write, checked where it is
# asked for and again in the worker that writes it.
IMPORT_PERMISSIONS = ("registry.add_node", "registry.add_placement", "catalog.add_standard",
                      "catalog.change_standard")

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
    "printed_number": ("原印标准号",),
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
DEGREE = re.compile(r"(?<![A-Za-z])(IDT|MOD|NEQ|idt|mod|neq|eqv|EQV)(?![A-Za-z])"
                    r"|(等同采用|修改采用|非等效采用|等效采用|等同|修改|非等效|等效)")
# 等效 (eqv) was the old name of a modified adoption (GB/T 20000.2-2009, 附录).
DEGREE_WORDS = {"等同": "IDT", "修改": "MOD", "非等效": "NEQ", "等效": "MOD", "EQV": "MOD"}


@dataclass
class ImportProblem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self):
        return _("%(sheet)s, row %(row)d, column %(column)s: %(message)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column,
            "message": self.message}


@dataclass
class ImportPlan:
    nodes: list = field(default_factory=list)        # dicts: code, name, … parent
    node_updates: list = field(default_factory=list)  # (Node, {field: value})
    standards: list = field(default_factory=list)    # dicts: number, title, dates, …
    outside: list = field(default_factory=list)      # numbers of replaced editions not placed
    updates: list = field(default_factory=list)      # (Standard, {field: value})
    placements: list = field(default_factory=list)   # (node code, number, note)
    notes: list = field(default_factory=list)        # (Placement, note)
    supersessions: list = field(default_factory=list)  # (new number, old number)
    amendments: list = field(default_factory=list)   # (number, catalog.rules.numbers.AmendmentMark)
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)     # Problems that do not stop the import
    # The new nodes matched with a template (registry.rules.import_templates), or None.
    template_match: object = None

    @property
    def ok(self):
        return not self.problems

    @property
    def empty(self):
        return not (self.nodes or self.node_updates or self.standards or self.updates
                    or self.placements or self.notes or self.supersessions or self.amendments)

    def summary(self):
        """What the plan will write, counted, in the active language (with plurals; each
        ``ngettext`` written out so that makemessages finds it)."""
        counts = {"nodes": len(self.nodes), "standards": len(self.standards),
                  "outside": len(self.outside), "placements": len(self.placements),
                  "updates": len(self.updates) + len(self.notes) + len(self.node_updates),
                  "supersessions": len(self.supersessions), "amendments": len(self.amendments)}
        new = ngettext("%(standards)d new standard", "%(standards)d new standards",
                       counts["standards"])
        if self.outside:
            new += ngettext(" (%(outside)d of them a replaced edition, not placed)",
                            " (%(outside)d of them replaced editions, not placed)",
                            counts["outside"])
        parts = [
            ngettext("%(nodes)d node", "%(nodes)d nodes", counts["nodes"]),
            new,
            ngettext("%(updates)d changed standard", "%(updates)d changed standards",
                     counts["updates"]),
            ngettext("%(placements)d placement", "%(placements)d placements",
                     counts["placements"]),
            ngettext("%(supersessions)d supersession", "%(supersessions)d supersessions",
                     counts["supersessions"]),
        ]
        if self.amendments:
            parts.append(ngettext("%(amendments)d amendment", "%(amendments)d amendments",
                                  counts["amendments"]))
        return _(", ").join(part % counts for part in parts)


def _labels(mapping, aliases):
    """Header text (as written, lower case) → key: the aliases and the labels in Chinese
    and English."""
    result = {alias.lower(): key for key, names in aliases.items() for alias in names}
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            for key, label in mapping.items():
                result[str(label).strip().lower()] = key
    return result


def detail_columns():
    """The detail sheet's columns an import reads: those of the export (table_data)."""
    return {**COLUMNS, **GROUP_COLUMNS, **EXTRA_COLUMNS}


def detail_labels():
    return _labels(detail_columns(), HEADER_ALIASES)


def structure_labels():
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


def _pick(headers):
    """The sheets the import reads, from their header rows (``[(title, header)]``): (index,
    {column index: key}) of the detail sheet and of the structure sheet, each or None."""
    detail_map, structure_map = detail_labels(), structure_labels()
    detail = structure = None
    for index, (_title, header) in enumerate(headers):
        header = [_text(cell).lower() for cell in header or ()]
        keys = {detail_map.get(h) for h in header}
        if "number" in keys and "code" in keys and detail is None:
            detail = (index, {i: detail_map[h] for i, h in enumerate(header)
                              if h in detail_map})
        elif "parent" in {structure_map.get(h) for h in header} and structure is None:
            structure = (index, {i: structure_map[h] for i, h in enumerate(header)
                                 if h in structure_map})
    return detail, structure


def wanted_sheets(headers):
    """The indexes of the sheets to read in full (``read_tables(..., wanted=…)``)."""
    return [found[0] for found in _pick(headers) if found is not None]


def _find_tables(tables):
    """(detail, structure), each (sheet title, {column index: key}, rows) or None."""
    return tuple(None if found is None else
                 (tables[found[0]][0], found[1], tables[found[0]][1][1:])
                 for found in _pick([(title, rows[0] if rows else ())
                                     for title, rows in tables]))


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
                plan.problems.append(ImportProblem(title, number, str(labels.get(key, key)),
                                             " ".join(exc.messages)))


def plan_import(tables, progress=None):
    """Check the tables (``[(sheet title, rows)]``, see ``registry.rules.import_files``) against
    the database; return the plan with every problem. ``progress(fraction)`` is called as
    the detail rows are checked (an import preview job shows it)."""
    plan = ImportPlan()
    detail, structure = _find_tables(tables)
    if detail is None:
        plan.problems.append(ImportProblem("—", 1, "—", _(
            "No sheet has the columns of the detail table (标准体系表编号, 标准编号, "
            "标准名称 …).")))
        return plan
    for table, labels in ((detail, detail_columns()), (structure, STRUCTURE_COLUMNS)):
        if table:
            _check_text(plan, table, labels)
    if plan.problems:
        return plan  # nothing else is checked in a text that is not what it looks like
    existing = {n.code: n for n in scope.nodes()}
    known = set(existing)
    if structure:
        _plan_structure(plan, structure, existing, known)
    else:
        _plan_groups(plan, detail, existing, known)
    _plan_detail(plan, detail, existing, known, progress)
    if plan.nodes and plan.ok:
        template, creates_system = template_for_import()
        if template is not None:
            plan.template_match = match_template(plan.nodes, template,
                                                 creates_system=creates_system)
    return plan


def template_summary(match):
    """The matching with the template in one sentence, in the active language."""
    counts = {"template": match.template.edition, "matched": len(match.matched),
              "extensions": len(match.extensions), "renamed": len(match.renamed),
              "removed": len(match.removed) if match.creates_system else 0}
    return _("Matched with the template %(template)s — matched: %(matched)d (renamed: "
             "%(renamed)d); not matched, extensions (扩充): %(extensions)d; template "
             "aspects not in the file (删减): %(removed)d.") % counts


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
        # "New standard" alone is the project type 制定: a catalog record wants its own word.
        kind = (_("New replaced edition (not placed)") if item["number"] in plan.outside
                else pgettext("import plan", "New standard"))
        # With what the number cell printed besides it, so the preview shows it is kept.
        shown = Standard(number=item["number"], edition_year=item.get("edition_year"),
                         adopted_number=item.get("adopted_number")).full_number
        rows.append([kind, shown, item["title"]])
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
    for number, mark in plan.amendments:
        rows.append([_("Amendment"), number, number + mark.display(
            parse_standard_number(number).is_international)])
    return {"ok": plan.ok, "empty": plan.empty, "summary": str(plan.summary()),
            "template": None if plan.template_match is None else {
                **plan.template_match.as_dict(),
                "summary": template_summary(plan.template_match)},
            "problems": [str(p) for p in sorted(plan.problems, key=lambda p: (p.sheet, p.row))],
            "warnings": [str(p) for p in sorted(plan.warnings, key=lambda p: (p.sheet, p.row))],
            "rows": [[str(cell) for cell in row] for row in rows]}


def _changes(changes):
    return "; ".join(f"{key}: {value}" for key, value in changes.items())


def _check_node_cells(plan, title, number, cells, label):
    """The node form's checks; True when the cells are fine."""
    ok = True
    code = cells.get("code", "")
    if code and (not CODE_FORMAT.match(code) or len(code) > _max(Node, "code")):
        plan.problems.append(ImportProblem(title, number, label["code"], _(
            "A system code is letters and digits joined by “-” or “.”, for example 201-03; "
            "“%(code)s” is not.") % {"code": code}))
        ok = False
    for key in ("name", "name_en", "clause", "remarks", "organization"):
        limit = _max(Node, key)
        if len(cells.get(key) or "") > limit:
            plan.problems.append(ImportProblem(title, number, label.get(key, key), _(
                "At most %(limit)d characters (this has %(length)d).")
                % {"limit": limit, "length": len(cells[key])}))
            ok = False
        elif cells.get(key) and (message := _refused(Node, key, cells[key])):
            plan.problems.append(ImportProblem(title, number, label.get(key, key), message))
            ok = False
    return ok


def _plan_structure(plan, structure, existing, known):
    title, columns, rows = structure
    label = {key: str(text) for key, text in STRUCTURE_COLUMNS.items()}
    seen = {}
    has_root = scope.system_root() is not None
    for number, raw in enumerate(rows, start=2):
        cells = {key: _text(raw[i]) if i < len(raw) else "" for i, key in columns.items()}
        if not any(cells.values()):
            continue
        code = cells.get("code", "")
        if not code:
            plan.problems.append(ImportProblem(title, number, label["code"],
                                         _("The system code is missing.")))
            continue
        if code in seen:
            plan.problems.append(ImportProblem(title, number, label["code"], _(
                "The system code %(code)s appears twice (also row %(row)d).")
                % {"code": code, "row": seen[code]}))
            continue
        seen[code] = number
        if not cells.get("name"):
            plan.problems.append(ImportProblem(title, number, label["name"],
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
            plan.problems.append(ImportProblem(title, number, label["parent"], _(
                "Unknown parent node %(code)s.") % {"code": parent}))
            continue
        if not parent and (has_root or any(not n.get("parent") for n in plan.nodes)):
            plan.problems.append(ImportProblem(title, number, label["parent"], _(
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
    root = scope.system_root()
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
                    plan.problems.append(ImportProblem(title, number, str(GROUP_COLUMNS[key]), _(
                        "There is no system to add %(node)s to: import the XLSX export, "
                        "whose structure sheet holds the whole tree, or create the system "
                        "first.") % {"node": text}))
                    break
                if not node_cells["name"]:
                    plan.problems.append(ImportProblem(title, number, str(GROUP_COLUMNS[key]),
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
    """``ISO 9001:2015, IDT`` (or ``IDT ISO 9001:2015``, ``等同采用 ISO 9001:2015``) →
    (number, degree)."""
    match = DEGREE.search(text)
    degree = ""
    if match:
        word = (match.group(1) or match.group(2)).upper().removesuffix("采用")
        degree = DEGREE_WORDS.get(word, word)
    number = DEGREE.sub(" ", text) if match else text
    number = re.sub(r"\s+", " ", number.strip(" ,，;；()（）")).strip()
    return number, degree


def _plan_detail(plan, detail, existing_nodes, known_codes, progress=None):
    title, columns, rows = detail
    label = {key: str(text) for key, text in detail_columns().items()}
    statuses = status_words()
    withdrawn_words = {w for w, s in statuses.items() if s == Status.WITHDRAWN}
    gap_words = set()
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            gap_words.add(str(_("gap")).lower())
    in_file = {}        # (node code, number) → row
    rows_of = {}        # number → first row placing or listing it
    new = {}            # number → dict of a new standard
    # Every standard, another organization's Q/ ones too: their numbers are taken.
    standards = {s.number: s for s in Standard.unscoped.all()}
    here = current_organization()
    recorded_amendments = {(number, sequence): year for number, sequence, year in
                           Amendment.objects.values_list("standard__number", "sequence",
                                                         "year")}
    placements = {(p.node.code, p.standard.number): p
                  for p in scope.placements().select_related("node", "standard")}
    planned_links = []  # (new number, old number, row)
    linked = set()
    declared = []       # (row, number, status the 状态 column gives, as written)
    updated = set()     # ids of standards already changed by an earlier row
    for number, raw in enumerate(rows, start=2):
        if progress and number % 500 == 0:
            progress(number / len(rows))
        cells = {key: raw[i] if i < len(raw) else None for i, key in columns.items()}
        if not any(_text(v) for v in cells.values()):
            continue

        def problem(key, message, row=number):
            plan.problems.append(ImportProblem(title, row, label.get(key, key), message))

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
        written, replaced = split_replaced(raw_number)
        try:
            parsed = parse_standard_number(written)
        except StandardNumberError as exc:
            problem("number", str(exc))
            continue
        canonical = parsed.canonical
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
        fields = _standard_fields(cells, problem, statuses, parsed, written)
        if fields is None:
            continue
        status = fields.pop("status", None)
        if status is not None:
            declared.append((number, canonical, status, _text(cells.get("status"))))
        if len(remarks) > _max(Placement, "note"):
            problem("remarks", _("At most %(limit)d characters (this has %(length)d).")
                    % {"limit": _max(Placement, "note"), "length": len(remarks)})
            continue
        current = standards.get(canonical)
        if current is not None and current.owner_id is not None and (
                here is None or current.owner_id != here.pk):
            problem("number", _("%(number)s is another organization's own standard.")
                    % {"number": canonical})
            continue
        if current is None and canonical not in new:
            if not fields.get("title"):
                problem("title", _("A new standard needs its title."))
                continue
            new[canonical] = {"number": canonical, "row": number, **fields}
            plan.standards.append(new[canonical])
        elif current is not None:
            changes = {key: value for key, value in fields.items()
                       if value not in (None, "") and value != getattr(current, key)}
            if current.printed_number:
                changes.pop("printed_number", None)  # the first printed form stays
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
        # Amendment marks printed with the number (GB 7258-2017/XG1-2019): recorded once,
        # as the form records them (catalog.actions.standards.record_amendment).
        for mark in parsed.amendments:
            key = (canonical, mark.sequence)
            if key in recorded_amendments and (recorded_amendments[key] is not None
                                               or mark.year is None):
                continue
            recorded_amendments[key] = mark.year
            plan.amendments.append((canonical, mark))
        # The 备注 shown is the placement's note, else the standard's remarks: only a
        # different text is a note of this placement.
        own = current.remarks if current is not None else ""
        placement = placements.get((code, canonical))
        if placement is None:
            plan.placements.append((code, canonical, "" if remarks == own else remarks))
        elif remarks != (placement.note or own):
            plan.notes.append((placement, remarks))
        olds = [*replaced, *LIST_SEPARATORS.split(_text(cells.get("replaces")))]
        for old in filter(None, (p.strip() for p in olds)):
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
    replaced = _plan_supersessions(plan, planned_links, standards, new, title,
                                   label["replaces"])
    _check_statuses(plan, declared, standards, new, replaced, title, label["status"])


def _number_fields(parsed, written, cells, problem):
    """What the number cell prints besides the number: edition note, adopted standard,
    printed form (or the printed-form column of an export); None when they contradict the
    adoption column."""
    fields = {}
    if parsed.edition_year:
        fields["edition_year"] = parsed.edition_year
    printed = _text(cells.get("printed_number"))
    if not printed and written not in (parsed.canonical, parsed.display):
        printed = written
    if printed:
        if len(printed) > _max(Standard, "printed_number"):
            problem("printed_number", _("At most %(limit)d characters (this has %(length)d).")
                    % {"limit": _max(Standard, "printed_number"), "length": len(printed)})
            return None
        fields["printed_number"] = printed
    if parsed.adoption:
        # A double number is an identical adoption (GB/T 20000.2): IDT unless printed.
        fields["adopted_number"] = parsed.adoption.display
        fields["adoption_degree"] = parsed.adoption_degree or AdoptionDegree.IDENTICAL.value
    return fields


def _adoption_fields(text, problem):
    """The 采用关系 column checked as the form checks it: (number, degree), or None."""
    adopted, degree = _parse_adoption(text)
    if degree and degree not in AdoptionDegree.values:
        problem("adoption", _("The degree of adoption is IDT, MOD or NEQ."))
        return None
    if not adopted:
        return None, degree or None
    try:
        number = parse_standard_number(adopted)
    except StandardNumberError as exc:
        problem("adoption", str(exc))
        return None
    if not number.is_international:
        problem("adoption", _("%(number)s is not an international or foreign standard; write "
                              "e.g. ISO 9001:2015.") % {"number": number.canonical})
        return None
    if len(number.display) > _max(Standard, "adopted_number"):
        problem("adoption", _("At most %(limit)d characters (this has %(length)d).")
                % {"limit": _max(Standard, "adopted_number"), "length": len(number.display)})
        return None
    return number.display, degree or None


def _standard_fields(cells, problem, statuses, parsed, written):
    """The catalog fields a detail row gives, checked; None (with the problem recorded) when
    one is wrong. ``status`` is the status the 状态 column gives, if any (checked later
    against what the data give)."""
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
    number_fields = _number_fields(parsed, written, cells, problem)
    if number_fields is None:
        return None
    adoption = _text(cells.get("adoption"))
    if adoption:
        checked = _adoption_fields(adoption, problem)
        if checked is None:
            return None
        adopted, degree = checked
        in_number = number_fields.get("adopted_number")
        if adopted and in_number and adopted != in_number:
            problem("adoption", _(
                "The number adopts %(number)s, this column %(column)s: write the same "
                "international standard in both, or in one of them.")
                % {"number": in_number, "column": adopted})
            return None
        if adopted or in_number:
            number_fields["adopted_number"] = adopted or in_number
            number_fields["adoption_degree"] = degree or number_fields.get("adoption_degree")
    fields.update(number_fields)
    status_text = _text(cells.get("status")).lower()
    if status_text:
        if status_text not in statuses:
            problem("status", _("Unknown status “%(status)s”.") % {"status": status_text})
            return None
        status = statuses[status_text]
        fields["status"] = status
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
    not placed); a link that closes a cycle is refused. Returns the supersessions as the
    import leaves them: {new number: {old numbers}}."""
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
        if old_number in graph.get(new_number, ()):
            continue  # already recorded: nothing to do (a second import of the same file)
        if _reaches(graph, old_number, new_number):
            plan.problems.append(ImportProblem(title, row, column, _(
                "%(new)s replacing %(old)s would close a cycle of supersessions (%(old)s "
                "already replaces %(new)s, directly or through other editions).")
                % {"new": new_number, "old": old_number}))
            continue
        graph.setdefault(new_number, set()).add(old_number)
        plan.supersessions.append((new_number, old_number))
    return graph


def _check_statuses(plan, declared, standards, new, replaced, title, column):
    """Warn where the 状态 column says what the dates and supersessions (``replaced``, as
    ``_plan_supersessions`` returns them) will not give: the status is derived
    (``with_status``), so the table's word cannot be kept as such, and is never overridden
    without saying so."""
    if not declared:
        return
    today = timezone.localdate()
    changed = {standard.number: changes for standard, changes in plan.updates}
    successors = {}
    for new_number, olds in replaced.items():
        for old_number in olds:
            successors.setdefault(old_number, []).append(new_number)

    def state(number):
        """The standard as the import leaves it (its own values and the row's)."""
        if number in new:
            values = new[number]
            return SimpleNamespace(is_draft=bool(values.get("is_draft")),
                                   implemented_on=values.get("implemented_on"),
                                   withdrawn_on=values.get("withdrawn_on"))
        current = standards[number]
        values = changed.get(number, {})
        return SimpleNamespace(**{key: values.get(key, getattr(current, key)) for key in (
            "is_draft", "implemented_on", "withdrawn_on")})

    for row, number, said, written in declared:
        if number not in new and number not in standards:
            continue  # the row has a problem of its own
        standard = state(number)
        after = [state(n) for n in successors.get(number, ())]
        status = status_on(standard, after, today)
        if status == said:
            continue
        reason = _status_reason(status, said, standard, dict(zip(
            successors.get(number, ()), after, strict=True)), today)
        plan.warnings.append(ImportProblem(title, row, column, _(
            "The table says “%(said)s”, but %(number)s will be “%(status)s”: %(reason)s")
            % {"said": written, "number": number, "status": status.label, "reason": reason}))


def _status_reason(status, said, standard, successors, today):
    """Why ``standard`` has ``status`` and not the ``said`` one."""
    if status == Status.WITHDRAWN:
        return _("its withdrawal date %(date)s has passed.") % {
            "date": standard.withdrawn_on.isoformat()}
    if status == Status.SUPERSEDED:
        return _("%(new)s, which replaces it, is in force.") % {
            "new": "、".join(n for n, s in successors.items() if in_force(s, today))}
    if status == Status.UPCOMING:
        return _("its implementation date %(date)s is still to come.") % {
            "date": standard.implemented_on.isoformat()}
    if status == Status.IN_DEVELOPMENT:
        return _("it is recorded as in development.")
    # Current, where the table says otherwise.
    if said == Status.SUPERSEDED and not successors:
        return _("no standard in this file or in the catalog replaces it. Write its number "
                 "in the “replaced standard” column of the standard that replaces it.")
    if said == Status.SUPERSEDED:
        return _("%(new)s, which replaces it, is not in force yet.") % {
            "new": "、".join(successors)}
    if said == Status.WITHDRAWN and standard.withdrawn_on:
        return _("its withdrawal date %(date)s is still to come.") % {
            "date": standard.withdrawn_on.isoformat()}
    if said == Status.UPCOMING and standard.implemented_on:
        return _("its implementation date %(date)s has passed.") % {
            "date": standard.implemented_on.isoformat()}
    return _("neither its dates nor its supersessions make it so.")


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

