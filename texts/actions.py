"""Every write to a text: one action class per operation (audit.actions).

Saving an element needs no reason (the history row records who changed what, and when);
replacing a whole text by an import does. The organization's office writes its own texts
only: ``has_permission`` adds that to the model permission.
"""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import Action, ActionError
from catalog.actions.terms import SaveTerm
from catalog.models import Term
from organizations.rules import current_organization
from texts.models import Draft, DraftFile, Part, Text
from texts.rules.proof import content_digest, file_digest
from texts.rules.structure import MAX_DEPTH, Clause, Document, Paragraph
from texts.storage import COVER_FIELDS, attach_image, load, part_rows

Kind = Part.Kind
Section = Part.Section


def current_organization_id():
    organization = current_organization()
    return organization.pk if organization is not None else None

# The sentences GB/T 1.1-2020 prescribes for a new document's 前言 and clauses 2 and 3.
DRAFTING_RULES = ("本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和"
                  "起草规则》的规定起草。")
REFERENCES_LEAD_IN = ("下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，"
                      "注日期的引用文件，仅该日期对应的版本适用于本文件；不注日期的引用文件，"
                      "其最新版本（包括所有的修改单）适用于本文件。")
TERMS_LEAD_IN = "下列术语和定义适用于本文件。"


def skeleton(**cover) -> Document:
    """A new text: 前言 with its first sentence, 1 范围, 2 规范性引用文件 and 3 术语和定义
    with their lead-ins (GB/T 1.1-2020 8.3, 8.5, 8.6)."""
    return Document(
        **cover,
        foreword=[Paragraph(DRAFTING_RULES)],
        clauses=[Clause("范围", [Paragraph("本文件规定了")]),
                 Clause("规范性引用文件", [Paragraph(REFERENCES_LEAD_IN)]),
                 Clause("术语和定义", [Paragraph(TERMS_LEAD_IN)])])


class TextAction(Action):
    """Writes to one text of the organization acted in."""

    permission_message = gettext_lazy("You cannot change this text.")

    def __init__(self, user, text, reason=""):
        super().__init__(user, reason)
        self.text = text

    def has_permission(self):
        return (super().has_permission()
                and self.text.organization_id == current_organization_id())


class PartAction(TextAction):
    """Writes to one part; the change is its own reason."""

    permission = "texts.change_part"
    reason_required = False
    default_reason = gettext_lazy("Edited in the text editor")

    def __init__(self, user, part, reason=""):
        super().__init__(user, part.text, reason)
        self.part = part


def write_document(action, text, document):
    """Replace the parts of ``text`` by those of ``document``, each delete and each add
    with its history row (under ``action``'s user and reason)."""
    if text.pk:
        for part in text.parts.filter(parent__isnull=True).order_by("-pk"):
            # Deleting a clause cascades to its parts; delete the leaves first so that each
            # row's deletion is recorded with the user and the reason.
            _delete_tree(action, part)
    for name in COVER_FIELDS:
        setattr(text, name, getattr(document, name))
    action.save(text)
    saved = {}
    for row in part_rows(text, document):
        part = row.part
        if row.parent is not None:
            part.parent = saved[id(row.parent)]
        if row.image:
            attach_image(part, row.image, part.data.get("image_name", ""))
        action.save(part)
        saved[id(row)] = part
    return text


def _delete_tree(action, part):
    for child in part.children.all():
        _delete_tree(action, child)
    action.delete(part)


class AddText(Action):
    """A new text for the organization acted in: the skeleton GB/T 1.1 starts from, or
    ``document`` (an import, or the copy of a published text)."""

    permission = "texts.add_text"
    reason_required = False
    default_reason = gettext_lazy("Text created")

    def __init__(self, user, organization, standard=None, document=None, cover=None,
                 reason=""):
        super().__init__(user, reason)
        self.organization = organization
        self.standard = standard
        self.document = document
        self.cover = cover or {}

    def check(self):
        super().check()
        if self.organization.pk != current_organization_id():
            raise PermissionDenied(_("You cannot change this text."))
        if self.standard is not None and Text.objects.filter(standard=self.standard).exists():
            raise ActionError(_("This standard already has its text."))

    def _execute(self):
        text = Text(organization=self.organization, standard=self.standard,
                    created_by=self.user)
        document = self.document or skeleton(**self.cover)
        return write_document(self, text, document)


class ReplaceText(TextAction):
    """Replace the whole text (an import of a DOCX): every part deleted and added again
    with history, the cover taken from the document. Needs a reason."""

    permission = ("texts.change_text", "texts.delete_part", "texts.add_part")

    def __init__(self, user, text, document, reason=""):
        super().__init__(user, text, reason)
        self.document = document

    def _execute(self):
        self.lock(self.text)
        return write_document(self, self.text, self.document)


class SaveCover(TextAction):
    """The cover data (number, titles, ICS/CCS, dates, stage…); its own reason."""

    permission = "texts.change_text"
    reason_required = False
    default_reason = gettext_lazy("Edited in the text editor")

    def __init__(self, user, text, values, reason=""):
        super().__init__(user, text, reason)
        self.values = values

    def _execute(self):
        for name, value in self.values.items():
            if name in COVER_FIELDS:
                setattr(self.text, name, value)
        return self.save(self.text)


class SavePart(PartAction):
    """One element's or clause's content, as the editor's form gives it."""

    def __init__(self, user, part, values, image=None, reason=""):
        super().__init__(user, part, reason)
        self.values = values
        self.image = image

    def _execute(self):
        part = self.part
        for name in ("title", "body"):
            if name in self.values:
                setattr(part, name, self.values[name])
        if "data" in self.values:
            part.data = {**(part.data or {}), **self.values["data"]}
        if self.image is not None:
            attach_image(part, self.image.read(), self.image.name[-100:])
            part.data = {**part.data, "image_name": self.image.name[-100:]}
        return self.save(part)


def _siblings(part):
    """The parts beside ``part`` in its parent (or section), in order."""
    return list(Part.objects.filter(text_id=part.text_id, section=part.section,
                                    parent_id=part.parent_id).order_by("position", "pk"))


def _renumber(action, parts):
    """Give ``parts`` positions 0, 1, 2… in their order, saving (with history) only the
    rows whose position changes."""
    for index, part in enumerate(parts):
        if part.position != index:
            part.position = index
            action.save(part)


def _clause_depth(part):
    depth = 1
    while part.parent_id:
        part = part.parent
        depth += 1
    return depth


class AddPart(TextAction):
    """A new clause, annex or element: inside ``parent`` (or at the top of ``section``),
    after ``after`` (or at the end). A new element goes before the clause's subclauses."""

    permission = "texts.add_part"
    reason_required = False
    default_reason = gettext_lazy("Added in the text editor")

    def __init__(self, user, text, kind, section=Section.BODY, parent=None, after=None,
                 values=None, reason=""):
        super().__init__(user, text, reason)
        self.kind, self.section, self.parent, self.after = kind, section, parent, after
        self.values = values or {}

    def check(self):
        super().check()
        outline = self.kind in Part.OUTLINE_KINDS
        if self.kind == Kind.ANNEX and (self.parent or self.section != Section.BODY):
            raise ActionError(_("An annex stands at the top of the document."))
        if self.section == Section.BODY and self.parent is None and not outline:
            raise ActionError(_("Text goes into a clause or an annex."))
        if self.section != Section.BODY and outline:
            raise ActionError(_("The foreword, introduction and bibliography have no clauses."))
        if self.kind == Kind.CLAUSE and self.parent is not None \
                and _clause_depth(self.parent) >= MAX_DEPTH:
            raise ActionError(_("Subclauses go down five levels at most."))

    def _execute(self):
        part = Part(text=self.text, section=self.section, parent=self.parent, kind=self.kind,
                    title=self.values.get("title", ""), body=self.values.get("body", ""),
                    data=self.values.get("data", {}))
        siblings = _siblings(part)
        if self.after is not None and self.after in siblings:
            index = siblings.index(self.after) + 1
        elif part.in_outline:
            index = len(siblings)
        else:  # an element: after the last element, before the subclauses
            index = sum(1 for s in siblings if not s.in_outline)
        part.position = index
        self.save(part)
        siblings.insert(index, part)
        _renumber(self, siblings)
        return part


class DeletePart(PartAction):
    """Remove a part and everything in it."""

    permission = "texts.delete_part"
    default_reason = gettext_lazy("Deleted in the text editor")

    def _execute(self):
        siblings = [s for s in _siblings(self.part) if s.pk != self.part.pk]
        _delete_tree(self, self.part)
        _renumber(self, siblings)
        return self.part


UP, DOWN, INDENT, OUTDENT = "up", "down", "indent", "outdent"
MOVES = (UP, DOWN, INDENT, OUTDENT)


class MovePart(PartAction):
    """Move a part up or down among its siblings; a clause also in (becoming the last
    subclause of the clause before it) or out (becoming the clause after its parent).
    Numbers follow by themselves: they are computed from the order."""

    def __init__(self, user, part, direction, reason=""):
        super().__init__(user, part, reason)
        self.direction = direction

    def check(self):
        super().check()
        if self.direction not in MOVES:
            raise ActionError(_("Unknown move."))
        part = self.part
        if self.direction in (INDENT, OUTDENT) and part.kind != Kind.CLAUSE:
            raise ActionError(_("Only a clause moves in or out a level."))

    def _execute(self):
        part = self.lock(self.part)
        siblings = _siblings(part)
        index = next(i for i, s in enumerate(siblings) if s.pk == part.pk)
        same_kind = [i for i, s in enumerate(siblings) if s.in_outline == part.in_outline]
        if self.direction in (UP, DOWN):
            step = -1 if self.direction == UP else 1
            others = [i for i in same_kind if (i - index) * step > 0]
            if part.kind == Kind.CLAUSE and part.parent_id is None:
                # Clauses before annexes: a top-level clause does not pass an annex.
                others = [i for i in others if siblings[i].kind == Kind.CLAUSE]
            elif part.kind == Kind.ANNEX:
                others = [i for i in others if siblings[i].kind == Kind.ANNEX]
            if not others:
                raise ActionError(_("It cannot move further."))
            target = min(others, key=lambda i: abs(i - index))
            siblings[index], siblings[target] = siblings[target], siblings[index]
            _renumber(self, siblings)
        elif self.direction == INDENT:
            before = [s for s in siblings[:index] if s.kind == Kind.CLAUSE]
            if not before:
                raise ActionError(_("There is no clause before it to move into."))
            if _clause_depth(part) + _height(part) > MAX_DEPTH:
                raise ActionError(_("Subclauses go down five levels at most."))
            new_parent = before[-1]
            siblings.pop(index)
            part.parent = new_parent
            part.position = len(_siblings(part))
            self.save(part)
            _renumber(self, siblings)
        else:
            if part.parent_id is None:
                raise ActionError(_("A top-level clause cannot move out further."))
            old_parent = part.parent
            siblings.pop(index)
            _renumber(self, siblings)
            part.parent = old_parent.parent
            outer = _siblings(old_parent)
            outer.insert(next(i for i, s in enumerate(outer) if s.pk == old_parent.pk) + 1,
                         part)
            part.position = -1  # saved by the renumbering below
            _renumber(self, outer)
        return part


def _height(part):
    """How many levels of subclauses lie beneath ``part``."""
    below = [child for child in part.children.all() if child.kind == Kind.CLAUSE]
    return 1 + max((_height(child) for child in below), default=0) if below else 0


class AddTermFromText(Action):
    """Offer a term entry of a text to the registry's term list (catalog ``Term``), with
    the text's standard as where it is defined when the text is a published standard's."""

    permission = "catalog.add_term"
    reason_required = False
    default_reason = gettext_lazy("Offered from a standard's text")

    def __init__(self, user, part, clause_number, reason=""):
        super().__init__(user, reason)
        self.part = part
        self.clause_number = clause_number

    def check(self):
        super().check()
        if self.part.kind != Kind.TERM:
            raise ActionError(_("Only a term entry can be offered to the term list."))
        if self.part.text.organization_id != current_organization_id():
            raise PermissionDenied(_("You cannot change this text."))
        if Term.objects.filter(term=self.part.title.strip()).exists():
            raise ActionError(_("This term is already defined: one concept, one term."))

    def _execute(self):
        part = self.part
        data = part.data or {}
        source = data.get("source", "")
        reference, _comma, clause = source.partition(",")
        term = Term(term=part.title.strip(), term_en=data.get("english", ""),
                    definition=part.body, note="\n".join(data.get("notes", [])),
                    defined_in=part.text.standard, clause=self.clause_number[:16],
                    source_reference=reference.strip()[:64],
                    source_clause=clause.strip()[:16])
        return SaveTerm(self.user, term, self.reason).execute()


# --- the drafts of clause 7.3.2 ---------------------------------------------------------


class FreezeDraft(Action):
    """Freeze the text as it stands as the ``stage``'s draft (``Draft.Stage``): the whole
    document, figures included, with the stage on its cover and its digest in the history.

    Run by the lifecycle's transitions (``TakeTransition``), which decided who may take the
    step, so it asks no role of its own; only a text of the organization acted in."""

    reason_required = False

    def __init__(self, user, text, stage, reason=""):
        super().__init__(user, reason)
        self.text, self.stage = text, Draft.Stage(stage)
        self.default_reason = self.stage.label

    def check(self):
        super().check()
        if self.text.organization_id != current_organization_id():
            raise PermissionDenied(_("You cannot change this text."))

    def _execute(self):
        document = load(self.lock(self.text)).document
        document.stage = Draft.COVER_STAGE[self.stage]
        content = document.as_dict()
        return self.save(Draft(text=self.text, stage=self.stage, content=content,
                               sha256=content_digest(content), frozen_by=self.user))


class AddDraftFile(Action):
    """Keep the Word or PDF file generated from a frozen draft, with its digest in the
    history; a draft has one file per format, and a second generation running at the same
    time gets the first one's file (the same bytes for everyone, so one digest names it).
    Asked by the worker of a job its page queued for a reader of the draft."""

    reason_required = False
    default_reason = gettext_lazy("File generated from the frozen draft")

    def __init__(self, user, draft, file_format, content):
        super().__init__(user)
        self.draft, self.format, self.content = draft, file_format, content

    def _execute(self):
        existing = DraftFile.objects.filter(draft=self.draft, format=self.format).first()
        if existing is not None:
            return existing
        kept = DraftFile(draft=self.draft, format=self.format, size=len(self.content),
                         sha256=file_digest(self.content), generated_by=self.user)
        kept.file.save(f"draft.{self.format}", ContentFile(self.content), save=False)
        try:
            with transaction.atomic():
                return self.save(kept)
        except IntegrityError:
            kept.file.delete(save=False)
            return DraftFile.objects.get(draft=self.draft, format=self.format)


class PublishText(TextAction):
    """At publication the project's text becomes the published standard's: its cover takes
    the standard's number and dates and loses the draft stage, and the standard's page
    offers it. Run by the lifecycle's ``publish`` step, which decided who may."""

    reason_required = False

    def __init__(self, user, text, standard, number, reason=""):
        super().__init__(user, text, reason)
        self.standard, self.number = standard, number

    def has_permission(self):
        return self.text.organization_id == current_organization_id()

    def check(self):
        super().check()
        if Text.objects.filter(standard=self.standard).exclude(pk=self.text.pk).exists():
            raise ActionError(_("This standard already has its text."))

    def _execute(self):
        text = self.lock(self.text)
        text.standard = self.standard
        text.number = self.number
        text.issued_on = self.standard.issued_on
        text.implemented_on = self.standard.implemented_on
        text.stage = ""
        return self.save(text)
