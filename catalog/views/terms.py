"""Terms and definitions pages (clause 3), and the amendment form of a standard (its
page is the registry's standard page)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from audit.versions import VersionCheckMixin
from catalog.actions import AddAmendment, AddTerm, EditAmendment, EditTerm
from catalog.forms import AmendmentForm, TermForm
from catalog.models import Amendment, Standard, Term


def terms_crumb():
    return (_("Terms"), reverse("catalog:term_list"))


class TermListView(PermissionRequiredMixin, ListView):
    permission_required = "catalog.view_term"
    raise_exception = True
    template_name = "catalog/term_list.html"
    paginate_by = 100

    def get_queryset(self):
        queryset = Term.objects.select_related("source", "defined_in")
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(
                Q(term__icontains=query) | Q(term_en__icontains=query)
                | Q(definition__icontains=query)
            )
        return queryset

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "query": self.request.GET.get("q", "")}


class TermView(PermissionRequiredMixin, DetailView):
    permission_required = "catalog.view_term"
    raise_exception = True
    model = Term
    template_name = "catalog/term.html"
    context_object_name = "term"

    def get_context_data(self, **kwargs):
        history = self.object.history.select_related("history_user").order_by("-history_date")
        return {**super().get_context_data(**kwargs), "history": history[:20],
                "breadcrumbs": [terms_crumb(), (self.object.term, None)]}


class TermFormMixin(PermissionRequiredMixin):
    raise_exception = True
    model = Term
    form_class = TermForm
    template_name = "catalog/term_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        term = context.get("object")
        context["breadcrumbs"] = [terms_crumb()] + (
            [(term.term, term.get_absolute_url())] if term else [])
        return context

    def form_valid(self, form):
        term = self.action(self.request.user, form.save(commit=False),
                           form.cleaned_data.get("reason", "")).execute()
        messages.success(self.request, _("Saved %(term)s.") % {"term": term.term})
        return redirect(term)


class TermAddView(TermFormMixin, CreateView):
    permission_required = "catalog.add_term"
    action = AddTerm


class TermEditView(VersionCheckMixin, TermFormMixin, UpdateView):
    permission_required = "catalog.change_term"
    action = EditTerm


class AmendmentFormMixin(PermissionRequiredMixin):
    raise_exception = True
    model = Amendment
    form_class = AmendmentForm
    template_name = "catalog/amendment_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "standard": self.standard}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "standard": self.standard,
                "breadcrumbs": [(self.standard.number, self.standard.get_absolute_url()),
                                (_("Amendment"), None)]}

    def form_valid(self, form):
        amendment = self.action(self.request.user, form.save(commit=False),
                                form.cleaned_data.get("reason", "")).execute()
        messages.success(self.request, _("Saved %(amendment)s.") % {
            "amendment": amendment.display})
        return redirect(amendment.standard)


class AmendmentAddView(AmendmentFormMixin, CreateView):
    permission_required = "catalog.add_amendment"
    action = AddAmendment

    @cached_property
    def standard(self):
        return get_object_or_404(Standard, pk=self.kwargs["standard"])


class AmendmentEditView(VersionCheckMixin, AmendmentFormMixin, UpdateView):
    permission_required = "catalog.change_amendment"
    action = EditAmendment

    @cached_property
    def standard(self):
        return get_object_or_404(Amendment, pk=self.kwargs["pk"]).standard
