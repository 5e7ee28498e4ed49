from django.urls import path

from catalog.views import terms

urlpatterns = [
    path("terms/", terms.TermListView.as_view(), name="term_list"),
    path("terms/add/", terms.TermAddView.as_view(), name="term_add"),
    path("terms/<int:pk>/", terms.TermView.as_view(), name="term_detail"),
    path("terms/<int:pk>/edit/", terms.TermEditView.as_view(), name="term_edit"),
]
