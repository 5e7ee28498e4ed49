"""Files attached to records other than project documents: training certificates, work
rules, information items, evidence of corrective actions. Checked by content like project
documents, stored under random names and served only through ``attachment_download``."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(instance, filename):
    # A random name without extension: nothing the user typed reaches the file system.
    return f"attachments/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """Abstract: an optional file with the name and format it was uploaded with."""

    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True,
                                     editable=False)
    file_format = models.CharField(_("format"), max_length=8, blank=True, editable=False)

    class Meta:
        abstract = True

    def attach(self, upload, file_format):
        """Keep ``upload``, whose content ``lifecycle.rules.files.detect_format`` found to be
        ``file_format``."""
        self.file_format = file_format
        self.original_name = upload.name[-255:]
        self.file = upload
