"""The frozen drafts of a project (clause 7.3.2) as files, and the differences between any
two versions of its text. Reading a draft with its comments is
``lifecycle.views.draft_comments``; who may read is who may read the project."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from lifecycle.models import Project
from lifecycle.rules.drafts import default_pair, project_drafts, resolve, versions
from registry.actions import StartDocument
from texts.rules.compare import compare

# The job documents a frozen draft's file is laid out as (texts/apps.py), and those of a
# comparison (lifecycle/apps.py).
DRAFT_FORMATS = {"docx": "texts.draft_docx", "pdf": "texts.draft_pdf"}
COMPARISON_FORMATS = {"docx": "lifecycle.comparison_docx", "pdf": "lifecycle.comparison_pdf"}


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


class CompareView(View):
    """The differences between two versions of the project's text, clause by clause (added,
    removed, moved, changed; the words changed marked): by default the latest draft against
    the one before it (the 送审稿 against the 征求意见稿)."""

    template_name = "lifecycle/drafts/compare.html"

    def get(self, request, pk):
        project = readable_project(request, pk)
        every = versions(project)
        old, new = pair_asked(project, request.GET)
        comparison = compare(old.document, new.document) if old and new else None
        return render(request, self.template_name, {
            "project": project, "versions": every, "old": old, "new": new,
            "comparison": comparison,
            "changed": comparison.changed() if comparison else [],
            "counts": comparison.counts() if comparison else {},
        })


def pair_asked(project, query):
    """The two versions ``?from=…&to=…`` names (tokens of ``lifecycle.rules.drafts``), else
    the default pair; an unknown token is a 404."""
    asked = query.get("from"), query.get("to")
    if not any(asked):
        return default_pair(project) or (None, None)
    old, new = (resolve(project, token) for token in asked)
    if old is None or new is None:
        raise Http404
    return old, new


def download_comparison(request, pk, fmt):
    """Queue the comparison as a PDF or a Word file with tracked changes (a worker lays it
    out) and go to the job's page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    project = readable_project(request, pk)
    if fmt not in COMPARISON_FORMATS:
        raise Http404
    old, new = pair_asked(project, request.POST)
    if old is None or new is None:
        raise Http404
    job = StartDocument(request.user, COMPARISON_FORMATS[fmt], request.LANGUAGE_CODE,
                        params={"project": project.pk, "from": old.token, "to": new.token},
                        back=request.POST.get("back") or project.get_absolute_url()
                        ).execute()
    return redirect(job)
