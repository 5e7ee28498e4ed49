"""Templates (clause 6.2.4): those the organization acted in may derive from, publishing its
own system as a template for the organizations beneath, and which of those have a system."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from audit.mixins import PermissionMixin
from organizations.models import Organization
from organizations.rules import administered, ancestors, can_administer, current_organization
from registry.actions.templates import PublishTemplate
from registry.forms.tree import PublishTemplateForm
from registry.models import Node, Template
from registry.rules.tree.scope import system_root
from registry.views.tree.tailoring import derivable


class TemplateListView(PermissionMixin, FormView):
    """The templates in reach (the built-in one, those published here and above), and for
    administrators the form that publishes this system as a new one."""

    permission_required = "registry.view_node"
    form_class = PublishTemplateForm
    template_name = "registry/tree/templates.html"

    def can_publish(self):
        organization = current_organization()
        return (organization is not None
                and self.request.user.has_perm("registry.add_template")
                and can_administer(self.request.user, organization))

    def post(self, request, *args, **kwargs):
        if not self.can_publish():
            return self.handle_no_permission()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            template = PublishTemplate(
                self.request.user, current_organization(), data["edition"], data["title"],
                data["published_on"], data["reason"]).execute()
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                for error in exc.messages:
                    form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Published as the template %(edition)s.")
                         % {"edition": template.edition})
        return redirect("registry:templates")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = current_organization()
        by_id = {o.pk: o for o in Organization.objects.all()}
        above = [a.pk for a in ancestors(by_id[organization.pk], by_id)] if organization else []
        mine = [organization.pk] if organization else []
        context["templates"] = (
            Template.objects.filter(Q(organization__isnull=True)
                                    | Q(organization_id__in=above + mine))
            .select_related("organization").annotate(aspects=Count("nodes"))
            .order_by("organization_id", "-created_at"))
        managed = sorted((by_id[pk] for pk in administered(self.request.user)
                          if pk in by_id and pk != (organization.pk if organization else None)),
                         key=lambda o: o.code)
        with_system = set(Node.objects.get_root_nodes().filter(
            owner_id__in=[o.pk for o in managed]).values_list("owner_id", flat=True))
        context.update(
            can_publish=self.can_publish() and system_root(organization) is not None,
            managed=[(o, o.pk in with_system) for o in managed],
            can_derive=bool(derivable(self.request.user))
            and self.request.user.has_perm("registry.derive_system"))
        return context
