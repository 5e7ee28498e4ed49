"""The frozen drafts of a project (clause 7.3.2) as files, and the differences between any
two versions of its text. Reading a draft with its comments is
``lifecycle.views.draft_comments``; who may read is who may read the project."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect

from lifecycle.models import Project
from lifecycle.rules.drafts import project_drafts
from registry.actions import StartDocument

# The job documents a frozen draft's file is laid out as (texts/apps.py).
DRAFT_FORMATS = {"docx": "texts.draft_docx", "pdf": "texts.draft_pdf"}


def readable_project(request, pk):
    if not request.user.has_perms(("lifecycle.view_project", "texts.view_text")):
        raise PermissionDenied
    return get_object_or_404(Project.objects.select_related("text", "revises"), pk=pk)


def download_draft(request, pk, draft, fmt):
    """Queue the frozen draft's Word or PDF file (generated the first time and kept with
    its digest, the kept file after) and go to the job's page. A POST: queuing is a change."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    project = readable_project(request, pk)
    if fmt not in DRAFT_FORMATS:
        raise Http404
    found = get_object_or_404(project_drafts(project), pk=draft)
    job = StartDocument(request.user, DRAFT_FORMATS[fmt], request.LANGUAGE_CODE,
                        params={"draft": found.pk, "by": request.user.pk},
                        back=project.get_absolute_url()).execute()
    return redirect(job)
