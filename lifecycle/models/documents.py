"""Documents of a project, each upload a new version; stored outside the static root
under random names and served only through a permission-checked view."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import tracked
from lifecycle.choices import DocumentKind, Stage


def document_path(instance, filename):
    # A random name without extension: nothing the user typed reaches the file system.
    return f"documents/{uuid.uuid4().hex}"


class Document(models.Model):
    """One uploaded version of a project document (项目建议书, 征求意见稿, 报批稿 …)."""

    project = models.ForeignKey(
        "lifecycle.Project", on_delete=models.CASCADE, related_name="documents",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    stage = models.CharField(_("stage at upload"), max_length=32, choices=Stage.choices)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = tracked()

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "version"],
                                    name="lifecycle_document_version_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version} ({self.original_name})"
