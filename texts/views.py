"""The text pages: a list of the organization's texts, a text to read, and the editor
(outline on the left, the part being edited on the right, the checks beside it).

Every write is an action (``texts.actions``); the pages only pick the part and the form.
The editor's small forms post with htmx: saving an element answers with that element
alone (one request, its history row written), moving, adding or deleting answers with the
editor again so that every number follows at once. Without JavaScript the same forms post
and come back to the page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from audit.mixins import PermissionMixin
from audit.params import id_from
from audit.versions import VERSION_FIELD, conflict_for
from catalog.models import Standard
from organizations.rules import current_organization
from registry.actions import StartDocument
from texts import editor as editing
from texts.actions import (
    MOVES,
    AddPart,
    AddTermFromText,
    AddText,
    DeletePart,
    MovePart,
    ReplaceText,
    SaveCover,
    SavePart,
)
from texts.forms import (
    IMAGE_TYPES,
    AddElementForm,
    AddOutlineForm,
    CoverForm,
    ImportForm,
    form_for,
)
from texts.models import Part, Text
from texts.references import catalog_lookup
from texts.rules.checks import run_checks
from texts.rules.docx_import import read_docx
from texts.rules.structure import number
from texts.storage import load

Kind = Part.Kind
EXPORT_FORMATS = {"docx": "texts.docx", "pdf": "texts.pdf"}


def check(document):
    return run_checks(document, catalog_lookup)


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def readable(request, pk):
    if not request.user.has_perm("texts.view_text"):
        raise PermissionDenied
    return get_object_or_404(Text.objects.readable().select_related("standard"), pk=pk)


def editable(request, pk, permission="texts.change_part"):
    """The text, if the user may change it here: 404 for another organization's, 403
    without the permission."""
    text = readable(request, pk)
    if not request.user.has_perm(permission):
        raise PermissionDenied
    if not Text.objects.editable().filter(pk=text.pk).exists():
        raise PermissionDenied(_("You cannot change this text."))
    return text


def part_of(text, part_pk):
    return get_object_or_404(Part.objects.select_related("text"), pk=part_pk, text=text)


def breadcrumbs(text, *more):
    trail = [(_("Standard texts"), reverse("texts:list")), (str(text), text.get_absolute_url())]
    return trail + list(more)


def back_to(text, part=None, anchor=""):
    url = reverse("texts:edit", args=[text.pk])
    if part is not None:
        url += f"?part={part}"
    return url + (f"#part-{anchor}" if anchor else "")


def refuse(request, error):
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


def import_word(request, form, write):
    """Read the form's Word file and hand the document and the reason to ``write`` (which
    runs the action that keeps it): (what ``write`` returned, the reader's report of what it
    could not place), or (None, None) when the form, the file or the action refused — said
    on the form or in the messages, nothing written."""
    if not form.is_valid():
        return None, None
    try:
        document, report = read_docx(form.cleaned_data["file"])
    except Exception:  # noqa: BLE001 — a broken file says so on the form
        form.add_error("file", _("This Word file cannot be read."))
        return None, None
    try:
        return write(document, form.cleaned_data["reason"]), report
    except ValidationError as exc:
        refuse(request, exc)
        return None, None


class TextListView(PermissionMixin, ListView):
    """The texts the organization acted in may read: its drafts and the published
    standards' texts."""

    permission_required = "texts.view_text"
    template_name = "texts/text_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Text.objects.readable().select_related("standard", "project")


def text_page(request, pk):
    """The whole text, as it reads: cover, 前言, clauses, annexes, 参考文献, with the
    checks' findings."""
    text = readable(request, pk)
    loaded = load(text, images=False)
    editor = editing.build(loaded, editing=False)
    findings = editing.places(editor, check(loaded.document),
                              reverse("texts:edit", args=[text.pk]))
    reading = editing.reading(loaded, editor)
    editing.cited_standards(reading)
    may_edit = (request.user.has_perm("texts.change_part")
                and Text.objects.editable().filter(pk=text.pk).exists())
    return render(request, "texts/text_detail.html", {
        "text": text, "reading": reading,
        "numbering": editor.numbering, "outline": editor.outline, "findings": findings,
        "may_edit": may_edit,
        "project": getattr(text, "project", None), "breadcrumbs": breadcrumbs(text)[:-1]
        + [(str(text), "")]})


def figure_image(request, pk, part_pk):
    """A figure's image, to the readers of its text."""
    text = readable(request, pk)
    part = part_of(text, part_pk)
    if part.kind != Kind.FIGURE or not part.image:
        raise Http404
    with part.image.open("rb") as stream:
        content = stream.read()
    kind = next((kind for magic, kind in IMAGE_TYPES.items() if content.startswith(magic)),
                None)
    if kind is None:
        raise Http404
    return HttpResponse(content, content_type=f"image/{kind}")


def editor_context(request, text, selected="", checks=True):
    """The editor's context; ``checks=False`` where only an element is answered (an
    element's save stays one quick request)."""
    loaded = load(text, images=False)
    editor = editing.build(loaded, selected)
    edit_url = reverse("texts:edit", args=[text.pk])
    findings = editing.places(editor, check(loaded.document), edit_url) \
        if checks else []
    return {
        "text": text, "editor": editor, "numbering": editor.numbering,
        "findings": findings, "add_element_form": AddElementForm(prefix="add"),
        "add_outline_form": AddOutlineForm(prefix="outline"), "sections": editing.SECTIONS,
        "moves": MOVES, "breadcrumbs": breadcrumbs(text, (_("Edit"), "")),
    }


class EditorView(View):
    def get(self, request, pk):
        text = editable(request, pk)
        return render(request, "texts/editor.html",
                      editor_context(request, text, request.GET.get("part", "")))


CONTENT_FIELDS = ("title", "body", "data", "kind")


def content_changed(part, loaded_version):
    """Whether someone changed what the part says since version ``loaded_version``: a move
    of the part or of its neighbours (its position, its parent) writes history too, but is
    no reason to refuse a save of its text."""
    loaded = part.history.filter(pk=id_from(loaded_version) or 0).first()
    if loaded is None:
        return True
    return (any(getattr(loaded, name) != getattr(part, name) for name in CONTENT_FIELDS)
            or (loaded.image or "") != (part.image.name or ""))


def checks_fragment(request, pk):
    """The checks beside the text, asked again by the editor after a save."""
    text = readable(request, pk)
    loaded = load(text, images=False)
    editor = editing.build(loaded, editing=False)
    findings = editing.places(editor, check(loaded.document),
                              reverse("texts:edit", args=[text.pk]))
    return render(request, "texts/_checks.html", {"text": text, "findings": findings})


class SavePartView(View):
    """Save one part's form. Answers an htmx request with the element alone; a save
    against a newer version of the part comes back with the other change shown."""

    def post(self, request, pk, part_pk):
        text = editable(request, pk)
        part = part_of(text, part_pk)
        form = form_for(part, request.POST, request.FILES)
        conflict = None
        if form.is_valid():
            loaded_version = request.POST.get(f"{form.prefix}-{VERSION_FIELD}", "")
            try:
                saved = self.save(request, part, form, loaded_version)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                if saved is not None:
                    conflict = saved
                else:
                    part.refresh_from_db()
                    if not is_htmx(request):
                        messages.success(request, _("Saved."))
                        selected = part.pk if part.in_outline else (
                            part.parent_id or part.section)
                        return redirect(back_to(text, selected, part.key))
                    return self.element(request, text, part, form_for(part), None, True)
        return self.element(request, text, part, form, conflict)

    def save(self, request, part, form, loaded_version):
        """Save under the row lock unless the part changed since ``loaded_version``; then
        return the conflict (nothing written)."""
        with transaction.atomic():
            current = Part.objects.select_for_update().get(pk=part.pk)
            latest = str(current.history.order_by("-pk").values_list("pk", flat=True)
                         .first() or "")
            if loaded_version and latest != loaded_version \
                    and content_changed(current, loaded_version):
                return conflict_for(current, loaded_version, form)
            SavePart(request.user, current, form.values(),
                     image=form.cleaned_data.get("image")).execute()
        return None

    def element(self, request, text, part, form, conflict, saved=False):
        """The element again (htmx), else the editor with this form as submitted."""
        form.conflict = conflict
        if conflict is not None:
            form.add_error(None, _("%(names)s changed this after you opened it, so your "
                                   "changes were not saved. Save again to put yours over "
                                   "theirs, or reload.")
                           % {"names": conflict.names or _("Someone else")})
        selected = part.pk if part.in_outline else (part.parent_id or part.section)
        context = editor_context(request, text, str(selected),
                                 checks=part.in_outline or not is_htmx(request))
        editor = context["editor"]
        if part.in_outline:
            editor.selected_form = form
            return render(request, "texts/editor.html", context)
        view = next(e for e in editor.elements if e.part.pk == part.pk)
        view.form = form
        if not is_htmx(request):
            return render(request, "texts/editor.html", context)
        response = render(request, "texts/_element.html",
                          {**context, "element": view, "saved": saved})
        if saved:
            # The checks beside the text follow in a request of their own (texts:checks),
            # so the save itself stays one quick answer.
            response["HX-Trigger"] = "textSaved"
        return response


class AddPartView(View):
    """Add an element to the part being edited, or a clause, subclause or annex."""

    def post(self, request, pk):
        text = editable(request, pk, "texts.add_part")
        selected = request.POST.get("selected", "")
        parent = None
        section = Part.Section.BODY
        if selected in editing.SECTIONS:
            section = selected
        elif selected:
            parent = part_of(text, id_from(selected) or 0)
        outline_form = AddOutlineForm(request.POST, prefix="outline")
        element_form = AddElementForm(request.POST, prefix="add")
        try:
            if outline_form.is_valid():
                kind = outline_form.cleaned_data["kind"]
                values = {"title": outline_form.cleaned_data["title"]}
                if kind == "subclause":
                    part = AddPart(request.user, text, Kind.CLAUSE, parent=parent,
                                   values=values).execute()
                else:
                    after = parent if parent is not None and parent.parent_id is None \
                        and kind == parent.kind else None
                    part = AddPart(request.user, text, kind, after=after, values=values,
                                   parent=parent.parent if after is not None else None,
                                   ).execute()
                return redirect(back_to(text, part.pk))
            if element_form.is_valid():
                part = AddPart(request.user, text, element_form.cleaned_data["kind"],
                               section=section, parent=parent).execute()
                return redirect(back_to(text, selected, part.key))
        except ValidationError as exc:
            refuse(request, exc)
        return redirect(back_to(text, selected))


class MovePartView(View):
    def post(self, request, pk, part_pk, direction):
        text = editable(request, pk)
        part = part_of(text, part_pk)
        try:
            MovePart(request.user, part, direction).execute()
        except ValidationError as exc:
            refuse(request, exc)
        selected = request.POST.get("selected") or (part.pk if part.in_outline else "")
        return redirect(back_to(text, selected, part.key))


class DeletePartView(View):
    def post(self, request, pk, part_pk):
        text = editable(request, pk, "texts.delete_part")
        part = part_of(text, part_pk)
        try:
            DeletePart(request.user, part).execute()
        except ValidationError as exc:
            refuse(request, exc)
        else:
            messages.success(request, _("Deleted."))
        if part.in_outline:
            return redirect(back_to(text, part.parent_id or ""))
        return redirect(back_to(text, part.parent_id or part.section))


class AddTermFromTextView(View):
    def post(self, request, pk, part_pk):
        text = editable(request, pk)
        part = part_of(text, part_pk)
        loaded = load(text, images=False)
        label = number(loaded.document).label(loaded.nodes[part.key])
        try:
            term = AddTermFromText(request.user, part, label).execute()
        except ValidationError as exc:
            refuse(request, exc)
        else:
            messages.success(request, _("“%(term)s” is now in the term list.")
                             % {"term": term.term})
        return redirect(back_to(text, part.parent_id, part.key))


class CoverView(View):
    template_name = "texts/cover_form.html"

    def get(self, request, pk):
        text = editable(request, pk, "texts.change_text")
        return self.show(request, text, CoverForm(instance=text))

    def post(self, request, pk):
        text = editable(request, pk, "texts.change_text")
        form = CoverForm(request.POST, instance=Text.objects.get(pk=text.pk))
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                SaveCover(request.user, text, values).execute()
            except ValidationError as exc:
                refuse(request, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("texts:edit", text.pk)
        return self.show(request, text, form)

    def show(self, request, text, form):
        return render(request, self.template_name, {
            "text": text, "form": form,
            "breadcrumbs": breadcrumbs(text, (_("Cover"), ""))})


class ImportView(View):
    """Replace the text by a DOCX written to GB/T 1.1 (with a reason: it replaces every
    part); what the reader could not place is listed after."""

    template_name = "texts/import_form.html"

    def get(self, request, pk):
        text = editable(request, pk, "texts.change_text")
        return self.show(request, text, ImportForm())

    def post(self, request, pk):
        text = editable(request, pk, "texts.change_text")
        form = ImportForm(request.POST, request.FILES)
        replaced, report = import_word(request, form, lambda document, reason: ReplaceText(
            request.user, text, document, reason).execute())
        if replaced is not None:
            messages.success(request, _("The text was replaced by the Word file."))
            if not report:
                return redirect("texts:edit", text.pk)
        return self.show(request, text, form, report)

    def show(self, request, text, form, report=None):
        return render(request, self.template_name, {
            "text": text, "form": form, "report": report,
            "breadcrumbs": breadcrumbs(text, (_("Import from Word"), ""))})


class ExportView(View):
    """Queue the Word or PDF layout of the text as a job and go to its page."""

    def post(self, request, pk, fmt):
        text = readable(request, pk)
        if fmt not in EXPORT_FORMATS:
            raise Http404
        job = StartDocument(request.user, EXPORT_FORMATS[fmt], request.LANGUAGE_CODE,
                            params={"text": text.pk}, back=text.get_absolute_url()).execute()
        return redirect(job)


class StandardTextView(View):
    """A catalog standard's text: read it when the registry holds it; else import it from
    a DOCX (the bureau's own published standards, so that what is in force is readable)."""

    template_name = "texts/standard_import.html"

    def standard(self, request, pk):
        if not request.user.has_perm("texts.view_text"):
            raise PermissionDenied
        return get_object_or_404(Standard, pk=pk)

    def get(self, request, pk):
        standard = self.standard(request, pk)
        text = Text.objects.readable().filter(standard=standard).first()
        if text is not None:
            return redirect(text)
        return self.show(request, standard, ImportForm(replacing=False))

    def post(self, request, pk):
        standard = self.standard(request, pk)
        if not request.user.has_perm("texts.add_text"):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES, replacing=False)
        text, report = import_word(request, form, lambda document, reason: AddText(
            request.user, current_organization(), standard=standard, document=document,
            reason=reason).execute())
        if text is not None:
            messages.success(request, _("The text of %(number)s is now held in the "
                                        "registry.") % {"number": standard.number})
            return redirect(text)
        return self.show(request, standard, form, report)

    def show(self, request, standard, form, report=None):
        return render(request, self.template_name, {
            "standard": standard, "form": form, "report": report,
            "may_import": request.user.has_perm("texts.add_text")})
