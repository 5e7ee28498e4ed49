"""Work rules and yearly plans (clause 5.3)."""

from django.urls import path

from lifecycle.views import work

urlpatterns = [
    path("rules/", work.RuleListView.as_view(), name="workrule_list"),
    path("rules/add/", work.RuleAddView.as_view(), name="workrule_add"),
    path("rules/<int:pk>/", work.RuleView.as_view(), name="workrule_detail"),
    path("rules/<int:pk>/edit/", work.RuleEditView.as_view(), name="workrule_edit"),
    path("plans/", work.PlanListView.as_view(), name="yearplan_list"),
    path("plans/add/", work.PlanAddView.as_view(), name="yearplan_add"),
    path("plans/<int:year>/", work.PlanView.as_view(), name="yearplan_detail"),
    path("plans/<int:year>/edit/", work.PlanEditView.as_view(), name="yearplan_edit"),
    path("plans/<int:year>/items/add/", work.PlanItemAddView.as_view(), name="planitem_add"),
    path("plans/items/<int:pk>/edit/", work.PlanItemEditView.as_view(), name="planitem_edit"),
]
