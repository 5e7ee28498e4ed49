"""A project's standard text (clause 7.3.2): start it in the registry from the GB/T 1.1
skeleton, or import a DOCX (again: it replaces the text, with a reason). The editor itself
is the texts app's."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from lifecycle.actions.texts import LinkText
from lifecycle.models import Project
from lifecycle.rules.drafts import first_document
from texts.forms import ImportForm
from texts.views import import_word

TEXT_PERMISSIONS = ("lifecycle.change_project", "texts.add_text")


def writable_project(request, pk):
    project = get_object_or_404(Project, pk=pk)
    if not request.user.has_perms(TEXT_PERMISSIONS):
        raise PermissionDenied
    if project.is_final:
        raise PermissionDenied(_("This project is finished."))
    return project


class StartTextView(View):
    """Start the project's text (``first_document``)."""

    def post(self, request, pk):
        project = writable_project(request, pk)
        if project.text_id:
            return redirect("texts:edit", project.text_id)
        try:
            project = LinkText(request.user, project, first_document(project)).execute()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(project)
        return redirect("texts:edit", project.text_id)


class ImportTextView(View):
    template_name = "lifecycle/projects/text_import.html"

    def get(self, request, pk):
        project = writable_project(request, pk)
        return self.show(request, project, ImportForm(replacing=bool(project.text_id)))

    def post(self, request, pk):
        project = writable_project(request, pk)
        form = ImportForm(request.POST, request.FILES, replacing=bool(project.text_id))
        linked, report = import_word(request, form, lambda document, reason: LinkText(
            request.user, project, document, reason).execute())
        if linked is not None:
            messages.success(request, _("The Word file is now the project's text."))
            if not report:
                return redirect("texts:edit", linked.text_id)
        return self.show(request, project, form, report)

    def show(self, request, project, form, report=None):
        return render(request, self.template_name,
                      {"project": project, "form": form, "report": report})
