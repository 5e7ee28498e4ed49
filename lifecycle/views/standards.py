"""After publication: my tasks, reviews due, periodic reviews, implementation plans."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from catalog.models import Standard
from lifecycle.forms import ImplementationPlanForm, PeriodicReviewForm
from lifecycle.models import ImplementationPlan
from lifecycle.reviews import due_reviews, record_review, review_due_on
from lifecycle.tasks import tasks_for
from registry.views.mixins import PermissionMixin


class MyTasksView(TemplateView):
    template_name = "lifecycle/tasks.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "tasks": tasks_for(self.request.user)}


class DueReviewsView(PermissionMixin, TemplateView):
    permission_required = "lifecycle.view_periodicreview"
    template_name = "lifecycle/due_reviews.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        year_end = today.replace(month=12, day=31)
        scope = self.request.GET.get("scope", "year")
        due = due_reviews(until=None if scope == "all" else year_end)
        return {**super().get_context_data(**kwargs), "due": due, "scope": scope,
                "year_end": year_end}


class PeriodicReviewView(PermissionMixin, FormView):
    permission_required = "lifecycle.add_periodicreview"
    form_class = PeriodicReviewForm
    template_name = "lifecycle/periodic_review.html"

    def dispatch(self, request, *args, **kwargs):
        self.standard = get_object_or_404(Standard, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "standard": self.standard,
                "due_on": review_due_on(self.standard),
                "reviews": self.standard.periodic_reviews.select_related("reviewed_by")}

    def form_valid(self, form):
        try:
            review = record_review(self.standard, form.cleaned_data["conclusion"],
                                   form.cleaned_data["reason"], self.request.user)
        except ValueError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Recorded the periodic review: %(conclusion)s.")
                         % {"conclusion": review.get_conclusion_display()})
        if review.revision_project:
            return redirect(review.revision_project)
        return redirect(self.standard)


class ImplementationPlanView(PermissionMixin, FormView):
    permission_required = "lifecycle.add_implementationplan"
    form_class = ImplementationPlanForm
    template_name = "lifecycle/implementation_plan.html"

    def dispatch(self, request, *args, **kwargs):
        self.standard = get_object_or_404(Standard, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "standard": self.standard,
                "plans": ImplementationPlan.objects.filter(standard=self.standard)}

    def form_valid(self, form):
        plan = form.save(commit=False)
        plan.standard, plan.created_by = self.standard, self.request.user
        plan._history_user, plan._change_reason = self.request.user, _("Implementation plan")
        plan.save()
        messages.success(self.request, _("Saved the implementation plan."))
        return redirect(self.standard)
