"""The leaders' dashboard."""

from django.urls import path

from lifecycle.views import dashboard

urlpatterns = [
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("dashboard/pdf/", dashboard.DashboardPdfView.as_view(), name="dashboard_pdf"),
]
