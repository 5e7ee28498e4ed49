"""Who may see a background job and download what it made: the permission its kind needs."""

from registry.models import Job
from registry.models.jobs import document
from registry.rules.imports import IMPORT_PERMISSIONS

EXPORT_PERMISSION = "registry.export_system_table"


def permission_for(job):
    """The permission (or permissions) needed to see ``job`` and download what it made."""
    if job.kind == Job.Kind.DOCUMENT:
        found = document(job.document)
        return found.permission if found else EXPORT_PERMISSION
    if job.kind in (Job.Kind.IMPORT_PREVIEW, Job.Kind.IMPORT):
        return IMPORT_PERMISSIONS
    return EXPORT_PERMISSION
