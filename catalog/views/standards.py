"""The amendment form of a standard (the standard's own pages are the registry's)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import CreateView, UpdateView

from audit.actions import SaveInstance
from audit.versions import VersionCheckMixin
from catalog.forms.standards import AmendmentForm
from catalog.models import Amendment, Standard


class AmendmentFormMixin(PermissionRequiredMixin):
    raise_exception = True
    model = Amendment
    form_class = AmendmentForm
    template_name = "catalog/standards/amendment_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "standard": self.standard}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "standard": self.standard,
                "breadcrumbs": [(self.standard.number, self.standard.get_absolute_url()),
                                (_("Amendment"), None)]}

    def form_valid(self, form):
        amendment = SaveInstance(self.request.user, form.save(commit=False),
                                 form.cleaned_data.get("reason", "")).execute()
        messages.success(self.request, _("Saved %(amendment)s.") % {
            "amendment": amendment.display})
        return redirect(amendment.standard)


class AmendmentAddView(AmendmentFormMixin, CreateView):
    permission_required = "catalog.add_amendment"

    @cached_property
    def standard(self):
        return get_object_or_404(Standard, pk=self.kwargs["standard"])


class AmendmentEditView(VersionCheckMixin, AmendmentFormMixin, UpdateView):
    permission_required = "catalog.change_amendment"

    def get_queryset(self):
        # The amendments of the standards this organization sees: not another's Q/ ones.
        return Amendment.objects.filter(standard__in=Standard.objects.values("pk"))

    @cached_property
    def standard(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"]).standard
