"""Serving the files attached to clause 5 and clause 8 records (see models.files)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from lifecycle.documents import download_response
from lifecycle.models import InformationItem, NonConformity, TrainingRecord, WorkRule

# URL kind → model; the user needs the model's view permission.
ATTACHMENT_MODELS = {
    "training": TrainingRecord,
    "rule": WorkRule,
    "information": InformationItem,
    "evidence": NonConformity,
}


def attachment_url(record):
    from django.urls import reverse

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
