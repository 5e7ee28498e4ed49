from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("terms/", views.TermListView.as_view(), name="term_list"),
    path("terms/<int:pk>/", views.TermView.as_view(), name="term"),
]
