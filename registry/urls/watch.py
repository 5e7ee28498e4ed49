"""The reference watch's pages (``registry:`` names): what needs review, and deciding it."""

from django.urls import path

from registry.views import watch

urlpatterns = [
    path("needs-review/", watch.ReviewFlagListView.as_view(), name="reviewflag_list"),
    path("needs-review/<int:pk>/", watch.ReviewFlagDecideView.as_view(),
         name="reviewflag_decide"),
]
