"""Serving uploaded files: the files attached to clause 5 and clause 8 records (see
models.files) here, project documents by the project pages, both as ``download_response``."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from lifecycle.models import InformationItem, NonConformity, TrainingRecord, WorkRule
from lifecycle.rules.files import CONTENT_TYPES

# URL kind → model; the user needs the model's view permission.
ATTACHMENT_MODELS = {
    "training": TrainingRecord,
    "rule": WorkRule,
    "information": InformationItem,
    "evidence": NonConformity,
}


def attachment_url(record):
    kind = next(kind for kind, model in ATTACHMENT_MODELS.items() if isinstance(record, model))
    return reverse("lifecycle:attachment_download", args=[kind, record.pk])


def attachment_download(request, kind, pk):
    """Always a download, never rendered by the browser, only for those who may see it."""
    model = ATTACHMENT_MODELS.get(kind)
    if model is None:
        raise Http404
    if not request.user.has_perm(f"lifecycle.view_{model._meta.model_name}"):
        raise PermissionDenied
    record = get_object_or_404(model, pk=pk)
    if not record.file:
        raise Http404
    return download_response(record.file, record.original_name, record.file_format)


def download_response(stored_file, name, file_format):
    """A stored upload as a download that the browser never renders or sniffs."""
    try:
        handle = stored_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=name,
                            content_type=CONTENT_TYPES.get(file_format,
                                                           "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
