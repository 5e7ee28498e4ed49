"""The comparison of the organization acted in with the organizations beneath it."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from audit.downloads import download_name
from audit.mixins import PermissionMixin
from organizations.rules import current_organization
from registry.rules.comparison import compare, comparison_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ComparisonView(PermissionMixin, TemplateView):
    """Per organization and per template aspect; ``?format=xlsx`` downloads both."""

    permission_required = "registry.view_node"
    template_name = "registry/tree/comparison.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            organization = current_organization()
            response = HttpResponse(comparison_xlsx(compare(organization)), content_type=XLSX)
            response["Content-Disposition"] = content_disposition_header(True, download_name(
                _("Comparison of organizations"), organization.name, extension="xlsx",
                day=timezone.localdate()))
            return response
        return super().get(request, *args, **kwargs)

    # The aspects table pages (some 2,000 aspects × the organizations); the XLSX has all.
    aspects_per_page = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comparison = compare(current_organization())
        paginator = Paginator(comparison.aspects, self.aspects_per_page)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(comparison=comparison, paginator=paginator, page_obj=page,
                       is_paginated=page.has_other_pages(), rows=[
                           (row, [row.cells[o.pk] for o in comparison.organizations])
                           for row in page.object_list])
        return context
