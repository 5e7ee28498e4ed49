"""The tailoring report (剪裁说明) of the organization acted in, its downloads, restoring a
removed template aspect, and deriving a system from a template."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from audit.downloads import download_name
from audit.mixins import PermissionMixin
from organizations.models import Organization
from organizations.rules import administered, current_organization
from registry.actions.tailoring import RestoreAspect
from registry.actions.templates import DeriveSystem
from registry.forms.tree import DeriveForm, RestoreForm
from registry.models import Node, TemplateNode
from registry.rules.tailoring import report_csv, report_xlsx, tailoring_report

DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", report_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", report_xlsx),
}


class TailoringReportView(PermissionMixin, TemplateView):
    """Every deviation of the system from its template, with who, when and why; as a page,
    or ``?format=xlsx|csv``."""

    permission_required = "registry.view_node"
    template_name = "registry/tree/tailoring.html"

    def get(self, request, *args, **kwargs):
        wanted = request.GET.get("format", "")
        if wanted in DOWNLOADS:
            report = tailoring_report(current_organization())
            content_type, render = DOWNLOADS[wanted]
            response = HttpResponse(render(report), content_type=content_type)
            name = download_name(_("Tailoring report"), report.organization.name,
                                 extension=wanted, day=timezone.localdate())
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(report=tailoring_report(current_organization()),
                       restore_form=RestoreForm())
        return context


class RestoreAspectView(PermissionMixin, FormView):
    """Bring back a removed template aspect (POST from the report)."""

    permission_required = "registry.add_node"
    form_class = RestoreForm
    http_method_names = ["post"]

    def form_valid(self, form):
        organization = current_organization()
        template_node = get_object_or_404(TemplateNode, pk=self.kwargs["pk"])
        try:
            node = RestoreAspect(self.request.user, organization, template_node,
                                 form.cleaned_data["reason"]).execute()
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(self.request, error)
            return redirect("registry:tailoring")
        messages.success(self.request, _("Restored %(node)s.") % {"node": node})
        return redirect("registry:tailoring")

    def form_invalid(self, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return redirect("registry:tailoring")


def derivable(user):
    """The organizations whose system ``user`` may derive now: the one acted in and those
    beneath it that they administer, while they have none; acting order, then by code."""
    current = current_organization()
    candidates = {pk for pk in administered(user)}
    if user.has_perm("registry.derive_system") and current is not None:
        candidates.add(current.pk)
    with_system = set(Node.objects.get_root_nodes().filter(owner_id__in=candidates)
                      .values_list("owner_id", flat=True))
    return list(Organization.objects.filter(pk__in=candidates - with_system).order_by("code"))


class DeriveSystemView(PermissionMixin, FormView):
    """An organization without a system derives it from a template: the one acted in, or
    one beneath it that the user administers (the prefecture deriving a new county's)."""

    permission_required = "registry.derive_system"
    form_class = DeriveForm
    template_name = "registry/tree/derive.html"

    def dispatch(self, request, *args, **kwargs):
        # Permission first (PermissionMixin refuses the others), then: nothing to derive.
        if request.user.is_authenticated and self.has_permission():
            self.organizations = derivable(request.user)
            if not self.organizations:
                messages.info(request, _("Every organization you manage has a standard "
                                         "system already."))
                return redirect("registry:tree")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        current = current_organization()
        wanted = self.request.GET.get("organization", "")
        initial = next((o for o in self.organizations if str(o.pk) == wanted or o == current),
                       None)
        return {**super().get_form_kwargs(), "organizations": self.organizations,
                "initial_organization": initial}

    def form_valid(self, form):
        organization = form.cleaned_data["organization"]
        try:
            DeriveSystem(self.request.user, organization, form.cleaned_data["template"],
                         form.cleaned_data["reason"]).execute()
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The system of %(organization)s was derived from "
                                         "%(template)s.") % {
            "organization": organization.name, "template": form.cleaned_data["template"]})
        if organization == current_organization():
            return redirect("registry:tree")
        return redirect("registry:templates")
