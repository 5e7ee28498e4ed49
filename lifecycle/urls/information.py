"""The information library (clause 5.4)."""

from django.urls import path

from lifecycle.views import information

urlpatterns = [
    path("information/", information.InformationListView.as_view(), name="information_list"),
    path("information/add/", information.InformationAddView.as_view(), name="information_add"),
    path("information/<int:pk>/", information.InformationView.as_view(), name="information"),
    path("information/<int:pk>/edit/", information.InformationEditView.as_view(),
         name="information_edit"),
    path("information/<int:pk>/status/", information.InformationStatusView.as_view(),
         name="information_status"),
    path("information/<int:pk>/revision/", information.InformationRevisionView.as_view(),
         name="information_revision"),
]
