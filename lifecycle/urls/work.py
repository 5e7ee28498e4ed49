"""Work rules and yearly plans (clause 5.3)."""

from django.urls import path

from lifecycle.views import work

urlpatterns = [
    path("rules/", work.RuleListView.as_view(), name="rules"),
    path("rules/add/", work.RuleAddView.as_view(), name="rule_add"),
    path("rules/<int:pk>/", work.RuleView.as_view(), name="rule"),
    path("rules/<int:pk>/edit/", work.RuleEditView.as_view(), name="rule_edit"),
    path("plans/", work.PlanListView.as_view(), name="plans"),
    path("plans/add/", work.PlanAddView.as_view(), name="plan_add"),
    path("plans/<int:year>/", work.PlanView.as_view(), name="plan"),
    path("plans/<int:year>/edit/", work.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:year>/items/add/", work.PlanItemAddView.as_view(), name="plan_item_add"),
    path("plans/items/<int:pk>/edit/", work.PlanItemEditView.as_view(), name="plan_item_edit"),
]
