"""Catalog pages as the registry shows them: with the nodes each standard is placed on."""

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django.views.generic.edit import CreateView, UpdateView
from django_filters.views import FilterView

from audit.mixins import PermissionMixin, QuerystringMixin
from audit.versions import VersionCheckMixin
from catalog.actions.standards import SaveStandard
from catalog.forms.standards import StandardForm
from catalog.models import Standard, Term
from registry.filtersets import PlacedStandardFilterSet
from registry.models import Placement


class StandardListView(PermissionMixin, QuerystringMixin, FilterView):
    permission_required = "catalog.view_standard"
    filterset_class = PlacedStandardFilterSet
    template_name = "registry/tree/standard_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            Standard.objects.with_status()
            .prefetch_related(
                Prefetch("placements", queryset=Placement.objects.select_related("node")),
                "replaced_by",
            )
            .order_by("code", "serial", "year")
        )



class StandardView(PermissionMixin, TemplateView):
    permission_required = "catalog.view_standard"
    template_name = "registry/tree/standard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        standard = get_object_or_404(Standard.objects.with_status(), pk=kwargs["pk"])
        related = Standard.objects.with_status().order_by("code", "serial", "year")
        latest = None
        if not standard.is_dated:  # "the latest edition applies": name it when we hold one
            latest = Standard.objects.resolve(standard.number)
            latest = latest if latest and latest.pk != standard.pk else None
        context.update(
            standard=standard, latest_edition=latest,
            replaces=related.filter(replaced_by=standard),
            replaced_by=related.filter(replaces=standard),
            cites=related.filter(cited_by=standard),
            cited_by=related.filter(cites=standard),
            placements=standard.placements.select_related("node").order_by("node__path"),
            amendments=standard.amendments.all(),
            terms=Term.objects.filter(Q(defined_in=standard) | Q(source=standard)),
            history=standard.history.select_related("history_user")
            .order_by("-history_date")[:20],
        )
        return context


class StandardFormMixin(PermissionMixin):
    model = Standard
    form_class = StandardForm
    template_name = "registry/tree/standard_form.html"

    def form_valid(self, form):
        standard = self.action(
            self.request.user, form.save(commit=False), form.cleaned_data.get("reason", ""),
            replaces=form.cleaned_data["replaces"], cites=form.cleaned_data["cites"],
            amendments=form.amendments,
        ).execute()
        messages.success(self.request, self.success_message % {"number": standard.number})
        return redirect(standard)


class StandardAddView(StandardFormMixin, CreateView):
    permission_required = "catalog.add_standard"
    action = SaveStandard

    @property
    def success_message(self):
        return _("Added %(number)s.")


class StandardEditView(VersionCheckMixin, StandardFormMixin, UpdateView):
    permission_required = "catalog.change_standard"
    action = SaveStandard

    @property
    def success_message(self):
        return _("Saved %(number)s.")

