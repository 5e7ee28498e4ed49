"""Terms and definitions pages (clause 3)."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Q
from django.views.generic import DetailView, ListView

from catalog.models import Term


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
