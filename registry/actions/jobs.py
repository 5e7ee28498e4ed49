"""Background jobs (``registry.models.Job``): starting one, and a worker's bookkeeping of it.

``StartJob`` queues a job once its row is committed (``registry.tasks.start``); a worker runs
it (``registry.tasks.run``). The job row is the job's record: who asked and when
(``created_by``, ``created_at``), when a worker took it and how often (``started_at``,
``attempts``), its last report (``updated_at``), how long it took (``seconds``) and how it
ended (``state``, ``message``). A worker that dies leaves its message unacknowledged: the
broker delivers it again and the job runs once more; a job that has already been taken
``MAX_ATTEMPTS`` times is marked failed instead, and ``reap_stale`` gives up jobs whose worker
stopped reporting (docs/deployment.md).

The bookkeeping (``claim``, ``progress``, ``fail``, ``reap_stale``) updates the job's own row
in place, as plain functions rather than actions: a job is operational state, not a record of
the system, and keeps no history (the exported file is the evidence; an import's rows are
written by ``ApplyImport`` with their history)."""

import logging
from abc import abstractmethod
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.actions import Action
from registry.models import Job

# A job is run at most this often: once, and once more if its worker died.
MAX_ATTEMPTS = 2
FINAL = (Job.State.DONE, Job.State.FAILED)
# One line when a worker takes a job and one when it ends: who asked, what, how long and how
# it went, with the id of the request that asked (registry/request_log.py). The logger keeps
# the name operators filter on (docs/deployment.md).
log = logging.getLogger("registry.export_jobs")


class TooManyJobs(Exception):
    """The user has as many jobs queued or running as one user may
    (``REGISTRY_JOBS_PER_USER``): the pages and the API answer 429 with ``retry_after``."""

    retry_after = 30  # seconds: most jobs end well within it (docs/performance.md)

    def __init__(self, count):
        self.count = count
        super().__init__(ngettext(
            "You have %(count)s job queued or running, as many as one user may have at "
            "once. Wait until it ends, then ask again.",
            "You have %(count)s jobs queued or running, as many as one user may have at "
            "once. Wait until one of them ends, then ask again.", count) % {"count": count})


class StartJob(Action):
    """Queue a job for a worker once its row is committed. The same job asked again while
    one is queued or running joins it (``running``): a double click or an impatient reload
    does the work once. A new job is refused (``TooManyJobs``) while the user has
    ``REGISTRY_JOBS_PER_USER`` jobs queued or running: one user cannot fill the queues that
    everyone shares. A job changes no record, so it needs no reason; it remembers who
    asked."""

    reason_required = False

    def running(self):
        """The queued or running job this request joins, if any."""
        return None

    @abstractmethod
    def create(self):
        """The new job's row (not yet committed)."""

    def execute(self):
        self.joined = False
        job = super().execute()
        if not self.joined:
            # registry.tasks sits above the actions (its tasks run them): looked up when a
            # job is queued, as the layers allow an action to enqueue a task.
            from registry.tasks import start

            start(job)
        return job

    def _execute(self):
        # The user's row locked first: two requests at once cannot both take the last place.
        list(get_user_model().objects.select_for_update().filter(pk=self.user.pk)
             .values_list("pk", flat=True))
        job = self.running()
        self.joined = job is not None
        if self.joined:
            return job
        count = Job.objects.filter(
            created_by=self.user, state__in=(Job.State.QUEUED, Job.State.RUNNING)).count()
        if count >= settings.REGISTRY_JOBS_PER_USER:
            raise TooManyJobs(count)
        return self.create()


class JobMissing(LookupError):
    """No job of this id in this installation's database: not committed yet, or the message
    came from another installation on the same Redis (registry.tasks retries, then logs)."""


def progress(job_id, done, state=Job.State.RUNNING, **fields):
    """Report the job's progress (``done`` percent), and its end when ``state`` is final."""
    Job.objects.filter(pk=job_id).update(progress=done, state=state,
                                         updated_at=timezone.now(), **fields)
    if state in FINAL:
        log.log(logging.INFO if state == Job.State.DONE else logging.WARNING,
                "job %s %s after %s s: %s", job_id, state,
                f"{fields['seconds']:.1f}" if fields.get("seconds") is not None else "-",
                fields.get("message", "") or "ok")


def fail(job, message):
    progress(job.pk, 100, Job.State.FAILED, message=message)


def claim(job_id):
    """Take the job for this worker: returns the job to run, or None when it is finished
    already (a duplicate delivery) or has been taken ``MAX_ATTEMPTS`` times (then it is
    marked failed with a message). Raises ``JobMissing`` when there is no such job."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            raise JobMissing(job_id)
        if job.state in FINAL:
            return None
        if job.attempts >= MAX_ATTEMPTS:
            with translation.override(job.lang):
                fail(job, _("The worker running this job stopped %(count)s times; the job "
                            "was given up. Please start it again.") % {"count": job.attempts})
            return None
        now = timezone.now()
        job.attempts += 1
        Job.objects.filter(pk=job.pk).update(
            attempts=job.attempts, state=Job.State.RUNNING, started_at=now,
            updated_at=now, progress=0)
    log.info("job %s taken (attempt %s): %s %s %s asked by user %s at %s", job.pk,
             job.attempts, job.kind, job.document or job.fmt, job.node_code or "",
             job.created_by_id, job.created_at.isoformat())
    return job


def reap_stale(now=None):
    """Mark failed every running job whose worker has not reported for
    ``REGISTRY_JOB_STALE_SECONDS`` (its worker died and the broker will not bring it back).
    Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REGISTRY_JOB_STALE_SECONDS)
    stale = Job.objects.filter(state=Job.State.RUNNING, updated_at__lt=cutoff)
    count = 0
    for job in stale:
        with translation.override(job.lang):
            count += Job.objects.filter(
                pk=job.pk, state=Job.State.RUNNING, updated_at__lt=cutoff).update(
                state=Job.State.FAILED, progress=100, updated_at=now,
                message=_("The worker running this job stopped reporting; the job was "
                          "given up. Please start it again."))
            log.warning("job %s failed: silent since %s, given up by the reaper", job.pk,
                        job.updated_at.isoformat())
    return count
