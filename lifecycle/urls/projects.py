"""Projects and what follows publication (clause 7)."""

from django.urls import path

from lifecycle.views import draft_comments, projects, texts

urlpatterns = [
    path("projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("projects/add/", projects.ProjectAddView.as_view(), name="project_add"),
    path("projects/<int:pk>/", projects.ProjectView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", projects.ProjectEditView.as_view(), name="project_edit"),
    path("projects/<int:pk>/transition/<str:name>/", projects.ProjectTransitionView.as_view(),
         name="project_transition"),
    path("projects/<int:pk>/documents/add/", projects.DocumentUploadView.as_view(),
         name="document_add"),
    path("documents/<int:pk>/", projects.document_download, name="document_download"),
    path("projects/<int:pk>/text/start/", texts.StartTextView.as_view(), name="text_start"),
    path("projects/<int:pk>/text/import/", texts.ImportTextView.as_view(), name="text_import"),
    path("projects/<int:pk>/comments/add/", projects.CommentFormView.as_view(),
         name="comment_add"),
    path("projects/<int:pk>/comments/<int:comment>/", projects.CommentFormView.as_view(),
         name="comment_edit"),
    path("projects/<int:pk>/drafts/<int:draft>/", draft_comments.DraftView.as_view(),
         name="project_draft"),
    path("projects/<int:pk>/comment-table.<str:fmt>", projects.comment_table,
         name="comment_table"),
    path("projects/<int:pk>/objections/add/", projects.ObjectionFormView.as_view(),
         name="objection_add"),
    path("projects/<int:pk>/objections/<int:objection>/", projects.ObjectionFormView.as_view(),
         name="objection_edit"),
    path("projects/<int:pk>/reviewers/", projects.ReviewAssignmentEditView.as_view(),
         name="reviewassignment_edit"),
    path("reviews/", projects.PeriodicReviewListView.as_view(), name="periodicreview_list"),
    path("reviews/<int:pk>/", projects.PeriodicReviewAddView.as_view(), name="periodicreview_add"),
    path("standards/<int:pk>/implementation/", projects.ImplementationPlanView.as_view(),
         name="implementationplan_add"),
]
