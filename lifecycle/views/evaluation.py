"""Evaluations of implementation (clauses 8.2–8.3). The rules are in
``lifecycle.rules.evaluation``, the writes in ``lifecycle.actions.evaluation``; these
views check permissions, show forms and redirect."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView
from django_filters.views import FilterView

from audit.forms import ReasonForm
from audit.mixins import PermissionMixin, QuerystringMixin
from catalog.models import Standard
from lifecycle.actions.evaluation import AddEvaluation, DeleteEvaluation, default_template
from lifecycle.filtersets import EvaluationFilterSet
from lifecycle.forms.evaluation import EvaluationForm
from lifecycle.models import Evaluation
from lifecycle.rules.evaluation import (
    below_threshold,
    chart,
    is_current,
    not_current_message,
)
from lifecycle.views.generic import ActionFormMixin

# A standard's chart shows at most this many of its latest evaluations.
CHART_LIMIT = 40


class EvaluationListView(PermissionMixin, QuerystringMixin, FilterView):
    """All evaluations, newest first; for one standard also its totals over time."""

    permission_required = "lifecycle.view_evaluation"
    filterset_class = EvaluationFilterSet
    template_name = "lifecycle/evaluation/evaluation_list.html"
    paginate_by = 25

    def get_queryset(self):
        return Evaluation.objects.select_related("standard", "template", "evaluated_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        standard = filterset.form.cleaned_data.get("standard") if filterset.is_bound and \
            filterset.is_valid() else None
        if standard:
            latest = list(Evaluation.objects.filter(standard=standard)
                          .select_related("template")[:CHART_LIMIT])
            context.update(standard=standard, chart=chart(latest),
                           standard_current=is_current(standard))
        return context


class EvaluationView(PermissionMixin, DetailView):
    permission_required = "lifecycle.view_evaluation"
    template_name = "lifecycle/evaluation/evaluation_detail.html"
    context_object_name = "evaluation"
    queryset = Evaluation.objects.select_related("standard", "template", "evaluated_by")

    def get_context_data(self, **kwargs):
        evaluation = self.object
        return {
            **super().get_context_data(**kwargs),
            "scores": evaluation.scores.select_related("criterion"),
            "below": evaluation.total < evaluation.template.threshold,
            "standard_current": is_current(evaluation.standard),
        }


class EvaluationAddView(ActionFormMixin, FormView):
    """Scores the standard against the default template (created on first use). Only a
    current standard is evaluated: for any other, a message and back to its page."""

    permission_required = "lifecycle.add_evaluation"
    form_class = EvaluationForm
    template_name = "lifecycle/evaluation/evaluation_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.standard = get_object_or_404(Standard.objects.with_status(),
                                          pk=kwargs["standard_pk"])
        return super().dispatch(request, *args, **kwargs)

    def _refuse_not_current(self):
        messages.error(self.request, not_current_message(self.standard))
        return redirect(self.standard)

    def get(self, request, *args, **kwargs):
        if not is_current(self.standard):
            return self._refuse_not_current()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not is_current(self.standard):
            return self._refuse_not_current()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.template = default_template(self.request.user)
        return {**super().get_form_kwargs(), "criteria": self.template.criteria.all()}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "standard": self.standard, "evaluation_template": self.template,
            "previous": Evaluation.objects.filter(standard=self.standard)
            .select_related("template")[:5],
        }

    def form_valid(self, form):
        if self.request.POST.get("template") != str(self.template.pk):
            form.add_error(None, _("The evaluation template changed while you were scoring. "
                                   "Check the criteria below and save again."))
            return self.form_invalid(form)
        return super().form_valid(form)

    def get_action(self, form):
        return AddEvaluation(self.request.user, self.standard, self.template, form.scores(),
                                form.cleaned_data["evaluated_on"],
                                form.cleaned_data["conclusion"])

    def success_message(self, evaluation):
        return (_("Evaluation of %(number)s recorded: total %(total)s.")
                % {"number": self.standard.number, "total": evaluation.total})


class EvaluationDeleteView(ActionFormMixin, FormView):
    """Deletes an evaluation entered by mistake, after a confirmation with the reason."""

    permission_required = "lifecycle.delete_evaluation"
    form_class = ReasonForm
    template_name = "lifecycle/evaluation/evaluation_delete.html"

    def dispatch(self, request, *args, **kwargs):
        self.evaluation = get_object_or_404(
            Evaluation.objects.select_related("standard", "template", "evaluated_by"),
            pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "evaluation": self.evaluation}

    def get_action(self, form):
        return DeleteEvaluation(self.request.user, self.evaluation, form.cleaned_data["reason"])

    def success_message(self, result):
        return _("Deleted the evaluation %(evaluation)s.") % {"evaluation": self.evaluation}

    def success_url(self, result):
        return reverse("lifecycle:evaluation_list") + f"?standard={self.evaluation.standard_id}"


class ImprovementView(PermissionMixin, ListView):
    """Standards to improve: their latest evaluation is below its template's threshold."""

    permission_required = "lifecycle.view_evaluation"
    template_name = "lifecycle/evaluation/evaluation_improvement.html"
    context_object_name = "standards"
    paginate_by = 25

    def get_queryset(self):
        return below_threshold()
