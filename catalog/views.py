"""Terms and definitions pages (clause 3)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from audit.versions import VersionCheckMixin
from catalog.actions import AddTerm, EditTerm
from catalog.forms import TermForm
from catalog.models import Term


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
