from django.urls import path, re_path

from audit.api import token_pages, views

# app.model and a record id that fits the database's integers
RECORD = r"(?P<model>[a-z_]+\.[a-z_]+)/(?P<pk>[0-9]{1,18})"

urlpatterns = [
    path("tokens/", token_pages.TokenListView.as_view(), name="tokens"),
    path("tokens/<int:pk>/revoke/", token_pages.TokenRevokeView.as_view(),
         name="token_revoke"),
    re_path(rf"^history/{RECORD}/$", views.RecordHistoryView.as_view(),
            name="record_history"),
    re_path(rf"^history/{RECORD}/compare/$", views.RecordCompareView.as_view(),
            name="record_compare"),
    path("log/", views.LogEntryListView.as_view(), name="logentry_list"),
]
