"""The leaders' dashboard (issue 6) as a page and as a PDF; the figures come from
``lifecycle.dashboard``, the charts from ``lifecycle.charts``."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from audit.downloads import as_download
from audit.mixins import PermissionMixin
from lifecycle.rules.dashboard import dashboard_figures, default_root
from lifecycle.views.charts import dashboard_charts, overdue_projects_url


def dashboard_context(request, links=True):
    root_id = request.GET.get("root")
    figures = dashboard_figures(default_root(root_id))
    return {
        "figures": figures,
        "charts": dashboard_charts(figures, links=links),
        "organization": figures.root.organization,
        "overdue_projects_url": overdue_projects_url(),
        "root_query": f"?root={figures.root.pk}" if root_id else "",
        "generated": timezone.localtime(),
    }


class DashboardView(PermissionMixin, TemplateView):
    """Figures and charts for leaders; every figure links to the list behind it."""

    permission_required = "lifecycle.view_project"
    template_name = "lifecycle/dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **dashboard_context(self.request)}


class DashboardPdfView(PermissionMixin, View):
    """The same figures as an A4 landscape PDF, served as a download."""

    permission_required = "lifecycle.view_project"

    def get(self, request):
        from weasyprint import HTML

        context = dashboard_context(request, links=False)
        html = render_to_string("lifecycle/dashboard/dashboard_pdf.html", context, request)
        # Links in the tables become absolute, so they still lead somewhere from the file.
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        return as_download(response, _("Dashboard"), extension="pdf",
                           day=context["figures"].today)
