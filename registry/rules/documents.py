"""Documents other apps lay out in a worker, as export jobs: declared, not named.

A PDF that takes seconds to lay out (lifecycle's comment resolution table, its dashboard)
is built by a Celery worker on the ``pdf`` queue like a system-table export: the request
only queues an ``ExportJob`` of kind ``document``, whose page follows the job and offers
the download. Registry does not import the apps that own those documents; each declares
its documents on its ``AppConfig``::

    class LifecycleConfig(AppConfig):
        job_documents = (
            JobDocument("lifecycle.dashboard", _("Dashboard"), "lifecycle.view_project",
                        "lifecycle.rules.exports.dashboard_pdf"),
        )

``build`` is the dotted path of a function ``build(params, progress)`` returning a
``Built`` (the file's bytes, what it is about and its day, for the download's name); it runs
in the worker under the job's language. ``permission`` is checked on the server to start
the job, to see its page and to download the file. The declarations are looked up by name
with ``registry.models.jobs.document`` (a job's title needs it); this module imports no model,
so an ``AppConfig`` may import it.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class JobDocument:
    name: str
    title: str
    permission: str
    build: str
    extension: str = "pdf"
    pdf: bool = True  # laid out on the PDF queue, with its bounded concurrency
    # Bulk documents wait behind the interactive ones a user waits for
    # (registry.tasks.PRIORITIES); one project's table or one page is interactive.
    bulk: bool = False


@dataclass(frozen=True)
class Built:
    content: bytes
    subject: str = ""
    day: date | None = None

