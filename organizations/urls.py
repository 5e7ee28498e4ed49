from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="list"),
    path("add/", views.OrganizationFormView.as_view(), name="add"),
    path("<int:pk>/edit/", views.OrganizationFormView.as_view(), name="edit"),
    path("<int:pk>/members/", views.MembersView.as_view(), name="members"),
    path("switch/", views.SwitchView.as_view(), name="switch"),
]
