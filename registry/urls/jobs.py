"""A background job's page and its download (exports, documents and imports alike; the
names keep their first use, the export)."""

from django.urls import path

from registry.views import jobs

urlpatterns = [
    path("export/<int:pk>/", jobs.JobView.as_view(), name="exportjob_detail"),
    path("export/<int:pk>/download/", jobs.job_download, name="exportjob_download"),
]
