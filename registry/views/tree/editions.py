"""A template's new edition as proposals to the organization acted in: the pending ones,
each accepted or declined by one of its administrators with a reason, and those decided."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from audit.mixins import PermissionMixin
from organizations.rules import current_organization
from registry.actions.editions import DecideProposal
from registry.forms.editions import DecideProposalForm
from registry.models import EditionProposal, Node, ProposalKind, ProposalStatus

# The organization's administrators only: the permission backend grants it through the
# administrator's role held in the organization acted in (a parent's administrators read a
# county's pages as viewers and decide nothing there).
DECIDES = "registry.change_editionproposal"


def proposals_of(organization):
    return (EditionProposal.objects.filter(organization=organization)
            .select_related("template", "old_node", "new_node", "new_node__parent",
                            "decided_by"))


class EditionProposalsView(PermissionMixin, TemplateView):
    permission_required = DECIDES
    template_name = "registry/tree/editions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = current_organization()
        found = list(proposals_of(organization).order_by("template__created_at", "pk"))
        # Where each proposal lands in this system: the node renamed or removed, or the
        # node an addition goes beneath (one query).
        wanted = {p: (p.new_node.parent.previous_node_id if p.kind == ProposalKind.ADDED
                      else p.old_node_id) for p in found}
        held = {n.template_node_id: n for n in Node.objects.filter(
            owner=organization, template_node_id__in=set(wanted.values()))}
        for proposal, template_node_id in wanted.items():
            proposal.system_node = held.get(template_node_id)
        context.update(
            pending=[p for p in found if p.status == ProposalStatus.PENDING],
            decided=sorted((p for p in found if p.status != ProposalStatus.PENDING),
                           key=lambda p: (p.decided_at, p.pk), reverse=True),
            breadcrumbs=[(_("Tailoring report"), reverse("registry:tailoring")),
                         (_("New template editions"), None)])
        return context


class DecideProposalView(PermissionMixin, FormView):
    """POST only, from the proposals page: accept or decline one proposal."""

    permission_required = DECIDES
    form_class = DecideProposalForm
    http_method_names = ["post"]

    def form_valid(self, form):
        # Another organization's proposal is not found here, whoever asks.
        proposal = get_object_or_404(proposals_of(current_organization()),
                                     pk=self.kwargs["pk"])
        accept = form.cleaned_data["decision"] == "accept"
        try:
            DecideProposal(self.request.user, proposal, accept,
                           form.cleaned_data["reason"]).execute()
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(self.request, error)
            return redirect("registry:editions")
        messages.success(self.request, (_("Accepted: %(proposal)s.") if accept
                                        else _("Declined: %(proposal)s."))
                         % {"proposal": proposal})
        return redirect("registry:editions")

    def form_invalid(self, form):
        get_object_or_404(proposals_of(current_organization()), pk=self.kwargs["pk"])
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return redirect("registry:editions")
