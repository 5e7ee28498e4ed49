"""Projects and what follows publication (clause 7)."""

from django.urls import path

from lifecycle.views import projects

urlpatterns = [
    path("projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("projects/add/", projects.ProjectAddView.as_view(), name="project_add"),
    path("projects/<int:pk>/", projects.ProjectView.as_view(), name="project"),
    path("projects/<int:pk>/edit/", projects.ProjectEditView.as_view(), name="project_edit"),
    path("projects/<int:pk>/transition/<str:name>/", projects.ProjectTransitionView.as_view(),
         name="project_transition"),
    path("projects/<int:pk>/documents/add/", projects.DocumentUploadView.as_view(),
         name="document_add"),
    path("documents/<int:pk>/", projects.document_download, name="document"),
    path("projects/<int:pk>/comments/add/", projects.CommentFormView.as_view(),
         name="comment_add"),
    path("projects/<int:pk>/comments/<int:comment>/", projects.CommentFormView.as_view(),
         name="comment_edit"),
    path("projects/<int:pk>/comment-table.<str:fmt>", projects.comment_table,
         name="comment_table"),
    path("projects/<int:pk>/objections/add/", projects.ObjectionFormView.as_view(),
         name="objection_add"),
    path("projects/<int:pk>/objections/<int:objection>/", projects.ObjectionFormView.as_view(),
         name="objection_edit"),
    path("projects/<int:pk>/reviewers/", projects.ReviewersView.as_view(), name="reviewers"),
    path("reviews/", projects.DueReviewsView.as_view(), name="due_reviews"),
    path("reviews/<int:pk>/", projects.PeriodicReviewView.as_view(), name="periodic_review"),
    path("standards/<int:pk>/implementation/", projects.ImplementationPlanView.as_view(),
         name="implementation_plan"),
]
