from django.urls import path

from audit.api import token_pages, views

urlpatterns = [
    path("tokens/", token_pages.TokenListView.as_view(), name="tokens"),
    path("tokens/<int:pk>/revoke/", token_pages.TokenRevokeView.as_view(),
         name="token_revoke"),
    path("history/<str:model>/<int:pk>/", views.RecordHistoryView.as_view(),
         name="record_history"),
    path("history/<str:model>/<int:pk>/compare/", views.RecordCompareView.as_view(),
         name="record_compare"),
    path("log/", views.LogEntryListView.as_view(), name="logentry_list"),
]
