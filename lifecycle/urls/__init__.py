"""The lifecycle's URLs, one module per area."""

from django.urls import path

from lifecycle.urls import (
    dashboard,
    drafts,
    evaluation,
    information,
    organization,
    projects,
    supervision,
    tasks,
    work,
)
from lifecycle.views.attachments import attachment_download

app_name = "lifecycle"

urlpatterns = [
    *projects.urlpatterns,
    *drafts.urlpatterns,
    *organization.urlpatterns,
    *work.urlpatterns,
    *information.urlpatterns,
    *supervision.urlpatterns,
    *evaluation.urlpatterns,
    *tasks.urlpatterns,
    *dashboard.urlpatterns,
    path("attachments/<str:kind>/<int:pk>/", attachment_download, name="attachment_download"),
]
