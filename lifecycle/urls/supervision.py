"""Implementation checks and corrective actions (clause 8.1)."""

from django.urls import path

from lifecycle.views import supervision

urlpatterns = [
    path("checks/", supervision.CheckListView.as_view(), name="implementationcheck_list"),
    path("checks/add/", supervision.CheckAddView.as_view(), name="implementationcheck_add"),
    path("checks/<int:pk>/", supervision.CheckView.as_view(), name="implementationcheck_detail"),
    path("checks/<int:pk>/edit/", supervision.CheckEditView.as_view(),
         name="implementationcheck_edit"),
    path("checks/<int:check_pk>/nonconformities/add/",
         supervision.NonConformityAddView.as_view(), name="nonconformity_add"),
    path("nonconformities/", supervision.NonConformityListView.as_view(),
         name="nonconformity_list"),
    path("nonconformities/<int:pk>/", supervision.NonConformityView.as_view(),
         name="nonconformity_detail"),
    path("nonconformities/<int:pk>/edit/", supervision.NonConformityEditView.as_view(),
         name="nonconformity_edit"),
    path("nonconformities/<int:pk>/close/", supervision.NonConformityCloseView.as_view(),
         name="nonconformity_close"),
]
