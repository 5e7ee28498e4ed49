"""The answer of every page and API endpoint that starts a job when its user has too many
queued or running (``TooManyJobs``, raised by ``registry.actions.exports.StartJob``): 429
with Retry-After, in one place for the export, import and document pages of every app and
for the API, which answers in its error shape (the API's exception handler leaves an
exception that is not its own to Django, so it reaches this middleware)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from audit.api.errors import body
from registry.actions import TooManyJobs
from registry.middleware import is_api
from registry.models import ExportJob


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
            response = render(request, "registry/exports/too_many_jobs.html", {
                "message": str(exception), "jobs": self.waiting(request),
                "back": self.back(request)}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response

    @staticmethod
    def waiting(request):
        """The user's jobs that take up their share, each with its page."""
        return ExportJob.objects.filter(
            created_by=request.user, state__in=(ExportJob.State.QUEUED, ExportJob.State.RUNNING))

    @staticmethod
    def back(request):
        """The page the user came from, if it is one of this site's."""
        back = request.META.get("HTTP_REFERER", "")
        allowed = url_has_allowed_host_and_scheme(back, {request.get_host()},
                                                  request.is_secure())
        return back if allowed else ""
