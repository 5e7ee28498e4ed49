"""Evaluations of implementation (clauses 8.2–8.3)."""

from django.urls import path

from lifecycle.views import evaluation

urlpatterns = [
    path("evaluations/", evaluation.EvaluationListView.as_view(), name="evaluation_list"),
    path("evaluations/<int:pk>/", evaluation.EvaluationView.as_view(), name="evaluation_detail"),
    path("evaluations/<int:pk>/delete/", evaluation.EvaluationDeleteView.as_view(),
         name="evaluation_delete"),
    path("standards/<int:standard_pk>/evaluate/", evaluation.EvaluationAddView.as_view(),
         name="evaluation_add"),
    path("evaluations/improvement/", evaluation.ImprovementView.as_view(),
         name="evaluation_improvement"),
]
