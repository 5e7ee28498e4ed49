from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("terms/", views.TermListView.as_view(), name="term_list"),
    path("terms/add/", views.TermAddView.as_view(), name="term_add"),
    path("terms/<int:pk>/", views.TermView.as_view(), name="term_detail"),
    path("terms/<int:pk>/edit/", views.TermEditView.as_view(), name="term_edit"),
    path("standards/<int:standard>/amendments/add/", views.AmendmentAddView.as_view(),
         name="amendment_add"),
    path("amendments/<int:pk>/edit/", views.AmendmentEditView.as_view(),
         name="amendment_edit"),
]
