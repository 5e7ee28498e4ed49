"""The answer of every page that starts a job when its user has too many queued or running
(``TooManyJobs``, raised by ``registry.actions.exports.StartJob``): one place for the export,
import and document pages of every app. The API answers in its own shape
(``registry.api.views``)."""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from registry.actions import TooManyJobs
from registry.models import ExportJob


class TooManyJobsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TooManyJobs):
            return None
        jobs = ExportJob.objects.filter(
            created_by=request.user,
            state__in=(ExportJob.State.QUEUED, ExportJob.State.RUNNING))
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()},
                                               request.is_secure()):
            back = ""
        response = render(request, "registry/exports/too_many_jobs.html",
                          {"message": str(exception), "jobs": jobs, "back": back},
                          status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response
