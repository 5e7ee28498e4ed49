"""Projects and what follows publication (clause 7)."""

from django.urls import path

from lifecycle.views import projects, records, reports, standards

urlpatterns = [
    path("projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("projects/add/", projects.ProjectAddView.as_view(), name="project_add"),
    path("projects/<int:pk>/", projects.ProjectView.as_view(), name="project"),
    path("projects/<int:pk>/edit/", projects.ProjectEditView.as_view(), name="project_edit"),
    path("projects/<int:pk>/transition/<str:name>/", projects.ProjectTransitionView.as_view(),
         name="project_transition"),
    path("projects/<int:pk>/documents/add/", records.DocumentUploadView.as_view(),
         name="document_add"),
    path("documents/<int:pk>/", records.document_download, name="document"),
    path("projects/<int:pk>/comments/add/", records.CommentFormView.as_view(),
         name="comment_add"),
    path("projects/<int:pk>/comments/<int:comment>/", records.CommentFormView.as_view(),
         name="comment_edit"),
    path("projects/<int:pk>/comment-table.<str:fmt>", reports.comment_table,
         name="comment_table"),
    path("projects/<int:pk>/objections/add/", records.ObjectionFormView.as_view(),
         name="objection_add"),
    path("projects/<int:pk>/objections/<int:objection>/", records.ObjectionFormView.as_view(),
         name="objection_edit"),
    path("projects/<int:pk>/reviewers/", records.ReviewersView.as_view(), name="reviewers"),
    path("tasks/", standards.MyTasksView.as_view(), name="tasks"),
    path("reviews/", standards.DueReviewsView.as_view(), name="due_reviews"),
    path("reviews/<int:pk>/", standards.PeriodicReviewView.as_view(), name="periodic_review"),
    path("standards/<int:pk>/implementation/", standards.ImplementationPlanView.as_view(),
         name="implementation_plan"),
]
