"""Organization, people and training (clause 5.1–5.2)."""

from django.urls import path

from lifecycle.views import organization

urlpatterns = [
    path("organization/", organization.DepartmentListView.as_view(), name="department_list"),
    path("organization/add/", organization.DepartmentAddView.as_view(), name="department_add"),
    path("organization/<int:pk>/", organization.DepartmentView.as_view(), name="department_detail"),
    path("organization/<int:pk>/edit/", organization.DepartmentEditView.as_view(),
         name="department_edit"),
    path("people/", organization.PeopleListView.as_view(), name="staffprofile_list"),
    path("people/training-due/", organization.TrainingDueView.as_view(), name="trainingrecord_due"),
    path("people/<int:user_pk>/", organization.PersonView.as_view(), name="staffprofile_detail"),
    path("people/<int:user_pk>/edit/", organization.PersonEditView.as_view(),
         name="staffprofile_edit"),
    path("people/<int:user_pk>/training/add/", organization.TrainingAddView.as_view(),
         name="trainingrecord_add"),
    path("people/training/<int:pk>/edit/", organization.TrainingEditView.as_view(),
         name="trainingrecord_edit"),
    path("people/training/<int:pk>/delete/", organization.TrainingDeleteView.as_view(),
         name="trainingrecord_delete"),
]
