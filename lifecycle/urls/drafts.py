"""The frozen drafts of clause 7.3.2: their files, the differences between versions of a
project's text, and the check of a document someone holds."""

from django.urls import path

from lifecycle.views import drafts, identify

urlpatterns = [
    path("projects/<int:pk>/drafts/<int:draft>/file.<str:fmt>", drafts.download_draft,
         name="draft_download"),
    path("drafts/identify/", identify.IdentifyDocumentView.as_view(),
         name="identify_document"),
    path("projects/<int:pk>/drafts/compare/", drafts.CompareView.as_view(),
         name="draft_compare"),
    path("projects/<int:pk>/drafts/compare.<str:fmt>", drafts.download_comparison,
         name="draft_compare_download"),
]
