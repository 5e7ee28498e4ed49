"""Work rules and yearly plans (clause 5.3)."""

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, ListView, TemplateView, UpdateView
from django_filters.views import FilterView

from lifecycle.forms_work import PlanForm, PlanItemForm, RuleForm
from lifecycle.models import PlanItem, WorkRule, YearPlan
from lifecycle.views.attachments import attachment_url
from lifecycle.work import (
    current_rule_filter,
    item_row,
    next_plan_year,
    plan_items,
    repealed_filter,
    save_item,
    save_plan,
    save_rule,
    summary,
    upcoming_rule_filter,
)
from registry.views.mixins import PermissionMixin, QuerystringMixin


class SavingFormMixin(PermissionMixin):
    """Saves through ``saver`` — a function of the rule module taking (instance, user,
    reason) — with the user and the reason; a refusal becomes a form error and nothing is
    written."""

    saver = None

    default_reason = ""
    success_message = ""

    def form_valid(self, form):
        reason = form.cleaned_data.get("reason") or str(self.default_reason)
        try:
            saved = self.saver(form.save(commit=False), self.request.user, reason)
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(record)s.") % {"record": saved})
        return redirect(self.success_target(saved))

    def success_target(self, saved):
        return saved


# --- rules -------------------------------------------------------------------------------


class RuleFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), method="filter_status", empty_label=gettext_lazy("All"),
        choices=[("current", gettext_lazy("Current")),
                 ("upcoming", gettext_lazy("Upcoming")),
                 ("repealed", gettext_lazy("Repealed"))],
    )
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")

    class Meta:
        model = WorkRule
        fields = ["status", "q"]

    STATUS_FILTERS = {"current": current_rule_filter, "upcoming": upcoming_rule_filter,
                      "repealed": repealed_filter}

    def filter_status(self, queryset, name, value):
        """Current: in force today; upcoming: takes effect later; repealed: by today."""
        return queryset.filter(self.STATUS_FILTERS[value]())

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value)
                               | Q(summary__icontains=value))


class RuleListView(PermissionMixin, QuerystringMixin, FilterView):
    permission_required = "lifecycle.view_workrule"
    filterset_class = RuleFilterSet
    template_name = "lifecycle/work/rules.html"
    paginate_by = 25

    def get_queryset(self):
        return WorkRule.objects.select_related("node")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "today": timezone.localdate()}


class RuleView(PermissionMixin, TemplateView):
    permission_required = "lifecycle.view_workrule"
    template_name = "lifecycle/work/rule.html"

    def get_context_data(self, **kwargs):
        rule = get_object_or_404(WorkRule.objects.select_related("node", "created_by"),
                                 pk=kwargs["pk"])
        return {**super().get_context_data(**kwargs), "rule": rule,
                "download_url": attachment_url(rule) if rule.file else "",
                "today": timezone.localdate()}


class RuleFormMixin(SavingFormMixin):
    model = WorkRule
    form_class = RuleForm
    template_name = "lifecycle/work/rule_form.html"
    default_reason = gettext_lazy("Work rule added")

    saver = staticmethod(save_rule)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "multipart": True}


class RuleAddView(RuleFormMixin, CreateView):
    permission_required = "lifecycle.add_workrule"


class RuleEditView(RuleFormMixin, UpdateView):
    permission_required = "lifecycle.change_workrule"


# --- yearly plans ------------------------------------------------------------------------


class PlanListView(PermissionMixin, ListView):
    permission_required = "lifecycle.view_yearplan"
    template_name = "lifecycle/work/plans.html"
    paginate_by = 25

    def get_queryset(self):
        return YearPlan.objects.prefetch_related(
            Prefetch("items", queryset=PlanItem.objects.select_related("project")))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["plans"] = [
            (plan, summary([item_row(item, today) for item in plan.items.all()]))
            for plan in context["object_list"]
        ]
        return context


class PlanView(PermissionMixin, TemplateView):
    permission_required = "lifecycle.view_yearplan"
    template_name = "lifecycle/work/plan.html"

    def get_context_data(self, **kwargs):
        plan = get_object_or_404(YearPlan, year=kwargs["year"])
        today = timezone.localdate()
        rows = [item_row(item, today) for item in plan_items(plan)]
        return {**super().get_context_data(**kwargs), "plan": plan, "rows": rows,
                "summary": summary(rows)}


class PlanAddView(SavingFormMixin, CreateView):
    permission_required = "lifecycle.add_yearplan"
    model = YearPlan
    form_class = PlanForm
    template_name = "lifecycle/work/plan_form.html"
    default_reason = gettext_lazy("Yearly plan added")

    def get_initial(self):
        return {"year": next_plan_year()}

    saver = staticmethod(save_plan)


class PlanEditView(SavingFormMixin, UpdateView):
    permission_required = "lifecycle.change_yearplan"
    model = YearPlan
    form_class = PlanForm
    template_name = "lifecycle/work/plan_form.html"
    slug_field = slug_url_kwarg = "year"

    saver = staticmethod(save_plan)


class PlanItemFormMixin(SavingFormMixin):
    model = PlanItem
    form_class = PlanItemForm
    template_name = "lifecycle/work/plan_item_form.html"
    default_reason = gettext_lazy("Plan item added")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "plan": self.plan}

    saver = staticmethod(save_item)

    def success_target(self, saved):
        return self.plan


class PlanItemAddView(PlanItemFormMixin, CreateView):
    permission_required = "lifecycle.add_planitem"

    def dispatch(self, request, *args, **kwargs):
        self.plan = get_object_or_404(YearPlan, year=kwargs["year"])
        return super().dispatch(request, *args, **kwargs)


class PlanItemEditView(PlanItemFormMixin, UpdateView):
    permission_required = "lifecycle.change_planitem"

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(PlanItem.objects.select_related("plan"),
                                        pk=kwargs["pk"])
        self.plan = self.object.plan
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return self.object
