from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("history/<str:model>/<int:pk>/", views.RecordHistoryView.as_view(),
         name="record_history"),
    path("history/<str:model>/<int:pk>/compare/", views.RecordCompareView.as_view(),
         name="record_compare"),
    path("audit/", views.AuditLogView.as_view(), name="logentry_list"),
]
