"""A background job's page (an export's, a document's or an import's) and its download, and
the answer of every page and API endpoint that starts a job when its user has too many
queued or running (``TooManyJobs``, raised by ``registry.actions.jobs.StartJob``): 429
with Retry-After, in one place for the export, import and document pages of every app and
for the API, which answers in its error shape (the API's exception handler leaves an
exception that is not its own to Django, so it reaches this middleware)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from audit.api.errors import body
from audit.downloads import download_name
from audit.mixins import PermissionMixin
from registry.actions import TooManyJobs
from registry.middleware import is_api
from registry.models import Job
from registry.rules.jobs import EXPORT_PERMISSION, permission_for
from registry.rules.tree.scope import nodes, system_root


def _may_see(user, pk):
    """Whether ``user`` holds the permission the job's kind needs (an export's, or the
    document's); whose job it is is checked after (another user's job is a 404)."""
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        return True  # a 404 follows
    permission = permission_for(job)
    return user.has_perms((permission,) if isinstance(permission, str) else permission)


class JobView(PermissionMixin, DetailView):
    """A job's page: its progress (polled until it ends), its outcome and the download. An
    export needs the export permission; a document job (``registry.rules.documents``) the
    document's own, checked here and again on download."""

    permission_required = EXPORT_PERMISSION
    template_name = "registry/jobs/job.html"
    context_object_name = "job"

    def has_permission(self):
        return _may_see(self.request.user, self.kwargs["pk"])

    def get_queryset(self):
        return Job.objects.filter(created_by=self.request.user)

    def get_context_data(self, **kwargs):
        job = self.object
        if job.kind == Job.Kind.DOCUMENT:
            back = (job.result or {}).get("back")
            crumbs = [(job.title, back)] if back else []
        elif job.kind == Job.Kind.IMPORT:
            crumbs = [(_("Import a system table"), reverse("registry:import"))]
        else:
            crumbs = [(_("Export the system table"), reverse("registry:exportjob_add"))]
        return {**super().get_context_data(**kwargs), "breadcrumbs": crumbs}

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["registry/jobs/_job_status.html"]
        return [self.template_name]


def job_download(request, pk):
    if not _may_see(request.user, pk):
        raise PermissionDenied
    job = get_object_or_404(Job, pk=pk, created_by=request.user,
                            state=Job.State.DONE)
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = job.file.name.rsplit(".", 1)[-1]
    if job.kind == Job.Kind.DOCUMENT:
        # 意见汇总处理表-<project>-<date>.pdf, 综合看板-<date>.pdf: as the document declares.
        result = job.result or {}
        name = download_name(job.title, result.get("subject", ""), extension=extension,
                             day=date.fromisoformat(result["day"]) if result.get("day")
                             else timezone.localdate(job.created_at))
        return FileResponse(handle, as_attachment=True, filename=name)
    # Named for what it holds: 标准体系表-<system or subtree>-<date>.xlsx.
    subject = (nodes(job.organization).filter(code=job.node_code).first() if job.node_code
               else system_root(job.organization))
    name = download_name(_("Standard system table"), subject.name if subject else "",
                         extension=extension,
                         day=job.as_of or timezone.localdate(job.created_at))
    return FileResponse(handle, as_attachment=True, filename=name)


class TooManyJobsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TooManyJobs):
            return None
        if request.resolver_match is not None and is_api(request.resolver_match.func):
            response = JsonResponse(body(429, "too_many_jobs", str(exception)), status=429)
        else:
            response = render(request, "registry/jobs/too_many_jobs.html", {
                "message": str(exception), "jobs": self.waiting(request),
                "back": self.back(request)}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response

    @staticmethod
    def waiting(request):
        """The user's jobs that take up their share, each with its page."""
        return Job.objects.filter(
            created_by=request.user, state__in=(Job.State.QUEUED, Job.State.RUNNING))

    @staticmethod
    def back(request):
        """The page the user came from, if it is one of this site's."""
        back = request.META.get("HTTP_REFERER", "")
        allowed = url_has_allowed_host_and_scheme(back, {request.get_host()},
                                                  request.is_secure())
        return back if allowed else ""
