"""The leaders' dashboard (issue 6) as a page and as a PDF; the figures come from
``lifecycle.rules.dashboard``, the charts from ``lifecycle.rules.charts``. The PDF is laid out by a
worker (``lifecycle.rules.exports.dashboard_document``): its view only queues the job."""

from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from audit.mixins import PermissionMixin
from lifecycle.rules.dashboard import default_root
from lifecycle.rules.exports import dashboard_context
from organizations.models import Organization
from organizations.rules import current_organization
from registry.actions import StartDocument
from registry.rules.comparison import compare


class DashboardView(PermissionMixin, TemplateView):
    """Figures and charts for leaders; every figure links to the list behind it."""

    permission_required = "lifecycle.view_project"
    template_name = "lifecycle/dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        context = {**super().get_context_data(**kwargs),
                   **dashboard_context(self.request.GET.get("root"))}
        # A parent organization's leaders see its organizations side by side (clause 6.2.4):
        # the comparison's figures, which read a constant number of queries.
        organization = current_organization()
        if organization is not None and Organization.objects.filter(
                parent=organization).exists():
            context["beneath"] = compare(organization)
        return context


class DashboardPdfView(PermissionMixin, View):
    """The same figures as an A4 landscape PDF: queued for a PDF worker (or the same job
    still running joined); the job's page offers the download."""

    permission_required = "lifecycle.view_project"

    http_method_names = ["post"]  # queuing work is a change: a form's POST, never a link

    def post(self, request):
        params = {"base_url": request.build_absolute_uri("/")}
        root = request.GET.get("root")
        if root:
            params["root"] = default_root(root).pk  # an unknown system is a 404 here
        back = reverse("lifecycle:dashboard") + (f"?root={params['root']}" if root else "")
        job = StartDocument(request.user, "lifecycle.dashboard", request.LANGUAGE_CODE,
                            params=params, back=back).execute()
        return redirect(job)
