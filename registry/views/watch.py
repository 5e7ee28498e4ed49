"""The reference watch page: everything flagged "needs review", and deciding each."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from audit.actions import ActionError
from audit.mixins import PermissionMixin, QuerystringMixin
from registry.actions.watch import DecideReviewFlag
from registry.forms.watch import DecisionForm
from registry.rules.watch import visible_flags


class ReviewFlagListView(PermissionMixin, QuerystringMixin, ListView):
    permission_required = "registry.view_reviewflag"
    template_name = "registry/watch/list.html"
    paginate_by = 100

    def get_queryset(self):
        flags = visible_flags().select_related("cause", "standard", "node", "decided_by")
        return flags if self.request.GET.get("all") else flags.filter(decision="")


class ReviewFlagDecideView(PermissionMixin, FormView):
    permission_required = "registry.change_reviewflag"
    template_name = "registry/watch/decide.html"
    form_class = DecisionForm

    def dispatch(self, request, *args, **kwargs):
        # Another organization's flag is no flag here (its node is not in this system).
        self.flag = get_object_or_404(visible_flags(), pk=kwargs["pk"], decision="")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "flag": self.flag}

    def get_context_data(self, **kwargs):
        crumbs = [(_("Needs review"), reverse("registry:reviewflag_list"))]
        return {**super().get_context_data(**kwargs), "flag": self.flag, "breadcrumbs": crumbs}

    def form_valid(self, form):
        try:
            project = DecideReviewFlag(self.request.user, self.flag,
                                       form.cleaned_data["decision"],
                                       form.cleaned_data["note"]).execute()
        except ActionError as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error("decision", message)
            return self.form_invalid(form)
        messages.success(self.request, _("Decided: %(flag)s.") % {"flag": self.flag})
        if project is not None:
            messages.success(self.request, _("Opened the revision project %(project)s.")
                             % {"project": project})
            return redirect(project)
        return redirect("registry:reviewflag_list")
