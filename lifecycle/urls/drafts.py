"""The frozen drafts of clause 7.3.2: their files, the differences between versions of a
project's text, and the check of a document someone holds."""

from django.urls import path

from lifecycle.views import drafts

urlpatterns = [
    path("projects/<int:pk>/drafts/<int:draft>/file.<str:fmt>", drafts.download_draft,
         name="draft_download"),
]
