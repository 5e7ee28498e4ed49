"""The information library (clause 5.4)."""

from django.urls import path

from lifecycle.views import information

urlpatterns = [
    path("information/", information.InformationListView.as_view(), name="informationitem_list"),
    path("information/add/", information.InformationAddView.as_view(), name="informationitem_add"),
    path("information/<int:pk>/", information.InformationView.as_view(),
         name="informationitem_detail"),
    path("information/<int:pk>/edit/", information.InformationEditView.as_view(),
         name="informationitem_edit"),
    path("information/<int:pk>/status/", information.InformationStatusView.as_view(),
         name="informationitem_status"),
    path("information/<int:pk>/revision/", information.InformationRevisionView.as_view(),
         name="informationitem_revision"),
]
