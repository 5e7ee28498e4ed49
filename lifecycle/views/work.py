"""Work rules and yearly plans (clause 5.3)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import CreateView, ListView, TemplateView, UpdateView
from django_filters.views import FilterView

from audit.mixins import PermissionMixin, QuerystringMixin
from lifecycle.actions.work import SavePlanItem, SaveWorkRule, SaveYearPlan
from lifecycle.filtersets import RuleFilterSet
from lifecycle.forms.work import PlanForm, PlanItemForm, RuleForm
from lifecycle.models import PlanItem, WorkRule, YearPlan
from lifecycle.rules.work import (
    item_row,
    next_plan_year,
    plan_items,
    summary,
)
from lifecycle.views.attachments import attachment_url
from lifecycle.views.generic import SaveFormMixin

# --- rules -------------------------------------------------------------------------------


class RuleListView(PermissionMixin, QuerystringMixin, FilterView):
    permission_required = "lifecycle.view_workrule"
    filterset_class = RuleFilterSet
    template_name = "lifecycle/work/workrule_list.html"
    paginate_by = 25

    def get_queryset(self):
        return WorkRule.objects.select_related("node")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "today": timezone.localdate()}


class RuleView(PermissionMixin, TemplateView):
    permission_required = "lifecycle.view_workrule"
    template_name = "lifecycle/work/workrule_detail.html"

    def get_context_data(self, **kwargs):
        rule = get_object_or_404(WorkRule.objects.select_related("node", "created_by"),
                                 pk=kwargs["pk"])
        return {**super().get_context_data(**kwargs), "rule": rule,
                "download_url": attachment_url(rule) if rule.file else "",
                "today": timezone.localdate()}


class RuleFormMixin(SaveFormMixin):
    model = WorkRule
    form_class = RuleForm
    template_name = "lifecycle/work/workrule_form.html"
    action_class = SaveWorkRule

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "multipart": True}


class RuleAddView(RuleFormMixin, CreateView):
    permission_required = "lifecycle.add_workrule"


class RuleEditView(RuleFormMixin, UpdateView):
    permission_required = "lifecycle.change_workrule"


# --- yearly plans ------------------------------------------------------------------------


class PlanListView(PermissionMixin, ListView):
    permission_required = "lifecycle.view_yearplan"
    template_name = "lifecycle/work/yearplan_list.html"
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
    template_name = "lifecycle/work/yearplan_detail.html"

    def get_context_data(self, **kwargs):
        plan = get_object_or_404(YearPlan, year=kwargs["year"])
        today = timezone.localdate()
        rows = [item_row(item, today) for item in plan_items(plan)]
        return {**super().get_context_data(**kwargs), "plan": plan, "rows": rows,
                "summary": summary(rows)}


class PlanAddView(SaveFormMixin, CreateView):
    permission_required = "lifecycle.add_yearplan"
    model = YearPlan
    form_class = PlanForm
    template_name = "lifecycle/work/yearplan_form.html"
    action_class = SaveYearPlan

    def get_initial(self):
        return {"year": next_plan_year()}


class PlanEditView(SaveFormMixin, UpdateView):
    permission_required = "lifecycle.change_yearplan"
    model = YearPlan
    form_class = PlanForm
    template_name = "lifecycle/work/yearplan_form.html"
    slug_field = slug_url_kwarg = "year"
    action_class = SaveYearPlan


class PlanItemFormMixin(SaveFormMixin):
    model = PlanItem
    form_class = PlanItemForm
    template_name = "lifecycle/work/planitem_form.html"
    action_class = SavePlanItem

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "plan": self.plan}

    def success_url(self, saved):
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
