"""Terms and definitions pages (clause 3)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from audit.versions import VersionCheckMixin
from catalog.actions.terms import SaveTerm
from catalog.forms.terms import TermForm
from catalog.models import Term
from catalog.rules.terms import search_terms


def terms_crumb():
    return (_("Terms"), reverse("catalog:term_list"))


class TermListView(PermissionRequiredMixin, ListView):
    permission_required = "catalog.view_term"
    raise_exception = True
    template_name = "catalog/terms/term_list.html"
    paginate_by = 100

    def get_queryset(self):
        return search_terms(Term.objects.select_related("source", "defined_in"),
                            self.request.GET.get("q", ""))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "query": self.request.GET.get("q", "")}


class TermView(PermissionRequiredMixin, DetailView):
    permission_required = "catalog.view_term"
    raise_exception = True
    model = Term
    template_name = "catalog/terms/term.html"
    context_object_name = "term"

    def get_context_data(self, **kwargs):
        history = self.object.history.select_related("history_user").order_by("-history_date")
        return {**super().get_context_data(**kwargs), "history": history[:20],
                "breadcrumbs": [terms_crumb(), (self.object.term, None)]}


class TermFormMixin(PermissionRequiredMixin):
    raise_exception = True
    model = Term
    form_class = TermForm
    template_name = "catalog/terms/term_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        term = context.get("object")
        context["breadcrumbs"] = [terms_crumb()] + (
            [(term.term, term.get_absolute_url())] if term else [])
        return context

    def form_valid(self, form):
        term = SaveTerm(self.request.user, form.save(commit=False),
                        form.cleaned_data.get("reason", "")).execute()
        messages.success(self.request, _("Saved %(term)s.") % {"term": term.term})
        return redirect(term)


class TermAddView(TermFormMixin, CreateView):
    permission_required = "catalog.add_term"


class TermEditView(VersionCheckMixin, TermFormMixin, UpdateView):
    permission_required = "catalog.change_term"
