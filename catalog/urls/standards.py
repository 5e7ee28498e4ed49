from django.urls import path

from catalog.views import standards

urlpatterns = [
    path("standards/<int:standard>/amendments/add/", standards.AmendmentAddView.as_view(),
         name="amendment_add"),
    path("amendments/<int:pk>/edit/", standards.AmendmentEditView.as_view(),
         name="amendment_edit"),
]
