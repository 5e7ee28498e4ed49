"""Organization, people and training (clause 5.1–5.2)."""

from django.urls import path

from lifecycle.views import people

urlpatterns = [
    path("organization/", people.DepartmentListView.as_view(), name="departments"),
    path("organization/add/", people.DepartmentAddView.as_view(), name="department_add"),
    path("organization/<int:pk>/", people.DepartmentView.as_view(), name="department"),
    path("organization/<int:pk>/edit/", people.DepartmentEditView.as_view(),
         name="department_edit"),
    path("people/", people.PeopleListView.as_view(), name="people"),
    path("people/training-due/", people.TrainingDueView.as_view(), name="training_due"),
    path("people/<int:user_pk>/", people.PersonView.as_view(), name="person"),
    path("people/<int:user_pk>/edit/", people.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:user_pk>/training/add/", people.TrainingAddView.as_view(),
         name="training_add"),
    path("people/training/<int:pk>/edit/", people.TrainingEditView.as_view(),
         name="training_edit"),
    path("people/training/<int:pk>/delete/", people.TrainingDeleteView.as_view(),
         name="training_delete"),
]
