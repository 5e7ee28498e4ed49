"""The organizations pages: the list, adding and changing one, its members, and the
switcher in the header (which organization a user acts in)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from organizations.actions import AddMembership, DeleteMembership, SaveOrganization
from organizations.forms import (
    MembershipDeleteForm,
    MembershipForm,
    OrganizationForm,
    SwitchForm,
)
from organizations.middleware import SESSION_KEY
from organizations.models import Membership, Organization
from organizations.rules import administered, can_administer, organizations_for


def _refuse(form, error):
    for field, errors in getattr(error, "error_dict", {None: error.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


class SwitchView(View):
    """Act in another organization: kept in the session (nothing else is written)."""

    http_method_names = ["post"]

    def post(self, request):
        form = SwitchForm(request.POST, choices=organizations_for(request.user))
        if not form.is_valid():
            raise PermissionDenied(_("You cannot act in this organization."))
        request.session[SESSION_KEY] = form.cleaned_data["organization"].pk
        wanted = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            wanted = "/"
        return redirect(wanted)


def _tree(organizations):
    """``(organization, depth)`` in tree order, children by code under their parent."""
    children, shown = {}, {o.pk for o in organizations}
    for organization in organizations:
        parent = organization.parent_id if organization.parent_id in shown else None
        children.setdefault(parent, []).append(organization)
    rows, todo = [], [(o, 0) for o in reversed(children.get(None, []))]
    while todo:
        organization, depth = todo.pop()
        rows.append((organization, depth))
        todo.extend((child, depth + 1) for child in reversed(children.get(organization.pk, [])))
    return rows


class OrganizationListView(TemplateView):
    """The organizations the user may act in (their own and, as an administrator or lead,
    those beneath), as a tree."""

    template_name = "organizations/organization_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        managed = administered(user)
        rows = [(o, "\u3000" * depth, o.pk in managed)
                for o, depth in _tree(organizations_for(user))]
        context.update(rows=rows, can_add=user.is_superuser or any(can for *_, can in rows))
        return context


class OrganizationFormView(FormView):
    """Add an organization beneath one the user administers, or change one."""

    form_class = OrganizationForm
    template_name = "organizations/organization_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.organization = (get_object_or_404(Organization, pk=kwargs["pk"])
                             if "pk" in kwargs else None)
        user = request.user
        managed = administered(user)
        self.parents = [o for o in organizations_for(user) if o.pk in managed]
        if self.organization is not None and self.organization.pk not in managed:
            raise PermissionDenied
        if self.organization is None and not (self.parents or user.is_superuser):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.organization, parents=self.parents,
                      top_allowed=self.request.user.is_superuser)
        if self.organization is None and self.request.method == "GET":
            kwargs["initial"] = {"parent": self.request.organization}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organization"] = self.organization
        return context

    def form_valid(self, form):
        try:
            saved = SaveOrganization(self.request.user, form.save(commit=False),
                                     form.cleaned_data.get("reason")).execute()
        except ValidationError as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(record)s.") % {"record": saved})
        return redirect("organizations:members", pk=saved.pk)


class MembersView(FormView):
    """Who holds which role in an organization; its administrators (and those above it)
    give and take roles."""

    form_class = MembershipForm
    template_name = "organizations/members.html"

    def dispatch(self, request, *args, **kwargs):
        self.organization = get_object_or_404(Organization, pk=kwargs["pk"])
        visible = {o.pk for o in organizations_for(request.user)}
        if self.organization.pk not in visible:
            raise PermissionDenied
        self.can_manage = can_administer(request.user, self.organization)
        if request.method == "POST" and not self.can_manage:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            organization=self.organization, can_manage=self.can_manage,
            breadcrumbs=[(_("Organizations"), reverse("organizations:list")),
                         (self.organization.name, None)],
            memberships=Membership.objects.filter(organization=self.organization)
            .select_related("user").order_by("user__username", "role"))
        return context

    def post(self, request, *args, **kwargs):
        if "membership" in request.POST:
            return self.remove()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            AddMembership(self.request.user, form.cleaned_data["user"], self.organization,
                          form.cleaned_data["role"]).execute()
        except ValidationError as exc:
            _refuse(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Role given."))
        return redirect("organizations:members", pk=self.organization.pk)

    def remove(self):
        form = MembershipDeleteForm(self.request.POST, organization=self.organization)
        if form.is_valid():
            try:
                DeleteMembership(self.request.user, form.cleaned_data["membership"],
                                 form.cleaned_data["reason"]).execute()
            except ValidationError as exc:
                form.add_error(None, exc.messages)
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        if not form.errors:
            messages.success(self.request, _("Role taken away."))
        return redirect("organizations:members", pk=self.organization.pk)
