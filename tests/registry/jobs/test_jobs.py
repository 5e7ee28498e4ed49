"""Background jobs through Celery, run eagerly here (tests/registry/jobs/test_worker.py runs a real
worker): joining an identical running export, running a job once more after its worker
died and then giving up, reaping silent jobs, and beat's daily tasks."""

from datetime import date, timedelta

from django.db.models.signals import post_save
from django.utils import timezone

from catalog.models import Standard
from registry import tasks
from registry.actions import StartExport
from registry.actions.watch import on_withdrawal, sweep
from registry.celery import app
from registry.models import ExportJob, ReviewFlag


def test_an_identical_export_joins_the_running_one(seeded, users):
    admin = users["admin"]
    running = ExportJob.objects.create(created_by=admin, fmt="pdf", lang="zh-hans",
                                       state=ExportJob.State.RUNNING, progress=40)
    assert StartExport(admin, "pdf", "zh-hans").execute() == running
    assert ExportJob.objects.count() == 1
    # Another format, or another subtree, is another job (run at once, eagerly).
    csv = StartExport(admin, "csv", "zh-hans").execute()
    csv.refresh_from_db()
    assert csv != running and csv.state == "done"
    running.refresh_from_db()
    assert running.state == "running" and running.progress == 40


def test_a_job_whose_worker_died_runs_once_more_then_is_given_up(seeded, users):
    admin = users["admin"]
    # Left "running" at 5 % by a worker killed on its first attempt: delivered again, it runs.
    once = ExportJob.objects.create(created_by=admin, fmt="csv", lang="en", progress=5,
                                    state=ExportJob.State.RUNNING, attempts=1)
    tasks.run(once.pk)
    once.refresh_from_db()
    assert (once.state, once.attempts, once.progress) == ("done", 2, 100)
    assert once.file.name.endswith(".csv") and once.seconds is not None
    assert once.started_at <= once.updated_at
    # Killed on its second attempt too: the next delivery gives up, saying why.
    twice = ExportJob.objects.create(created_by=admin, fmt="csv", lang="en", progress=5,
                                     state=ExportJob.State.RUNNING, attempts=2)
    tasks.run(twice.pk)
    twice.refresh_from_db()
    assert (twice.state, twice.attempts, twice.file.name) == ("failed", 2, "")
    assert twice.message == ("The worker running this job stopped 2 times; the job was given "
                             "up. Please start it again.")
    # A finished job delivered again (a redelivery after it was done) is left as it is.
    tasks.run(once.pk)
    assert ExportJob.objects.get(pk=once.pk).attempts == 2


def test_the_reaper_gives_up_jobs_whose_worker_went_silent(db, users):
    now = timezone.now()
    silent = ExportJob.objects.create(created_by=users["admin"], fmt="pdf", lang="en",
                                      progress=5,
                                      state=ExportJob.State.RUNNING, attempts=1,
                                      updated_at=now - timedelta(hours=1))
    busy = ExportJob.objects.create(created_by=users["admin"], fmt="xlsx", progress=60,
                                    state=ExportJob.State.RUNNING, attempts=1,
                                    updated_at=now - timedelta(seconds=30))
    assert tasks.reap_jobs.apply().get() == 1
    silent.refresh_from_db()
    busy.refresh_from_db()
    assert silent.state == "failed"
    assert silent.message == ("The worker running this job stopped reporting; the job was "
                              "given up. Please start it again.")
    assert busy.state == "running"


def test_pdf_exports_have_their_own_queue():
    assert app.amqp.router.route({}, "registry.tasks.run_pdf_job")["queue"].name == "pdf"
    assert app.amqp.router.route({}, "registry.tasks.run_job")["queue"].name == "celery"
    job = ExportJob(fmt="pdf")
    assert tasks.task_for(job) is tasks.run_pdf_job
    job.fmt = "xlsx"
    assert tasks.task_for(job) is tasks.run_job


def test_beat_runs_only_registered_tasks():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert scheduled == {"lifecycle.tasks.run_deadlines", "registry.tasks.anchor_history",
                         "registry.tasks.sweep_watch", "registry.tasks.sweep_import_previews",
                         "registry.tasks.reap_jobs", "registry.tasks.purge_security_log"}
    assert scheduled <= set(app.tasks)


def test_anchor_task_writes_a_signed_anchor(seeded, settings, tmp_path):
    settings.REGISTRY_HISTORY_ANCHOR_DIR = str(tmp_path)
    written = tasks.anchor_history.apply().get()
    assert written and list(tmp_path.iterdir())[0].name in written


def test_the_watch_sweep_flags_a_withdrawal_the_signals_missed(seeded, users):
    # A withdrawal recorded while the watch was not listening (as by an older release).
    post_save.disconnect(on_withdrawal, sender=Standard, dispatch_uid="registry.watch_withdrawal")
    try:
        standard = Standard.objects.get(number="GB 2894")
        standard.withdrawn_on = date(2026, 1, 1)
        standard.save()
    finally:
        post_save.connect(on_withdrawal, sender=Standard,
                          dispatch_uid="registry.watch_withdrawal")
    assert not ReviewFlag.objects.filter(cause=standard).exists()
    assert tasks.sweep_watch.apply().get() == 2
    flags = ReviewFlag.objects.filter(cause=standard)
    assert sorted(f.node.code if f.node else f.standard.number for f in flags) == [
        "103", "DB6523/T 370—2023"]
    assert sweep(users["office"]) == []  # flagged once


def test_a_job_not_in_this_database_is_retried_then_logged(db, caplog):
    """A message of another installation on the same Redis (or a row not visible yet): the
    task tries again with backoff, then logs an error, instead of dropping it silently."""
    result = tasks.run_pdf_job.apply(args=[987654])
    assert result.successful() and result.result is None
    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "registry.tasks"]
    assert [level for level, _message in lines] == ["WARNING"] * 3 + ["ERROR"]
    assert lines[0][1] == ("registry.tasks.run_pdf_job: job 987654 not found in this database; "
                           "retry 1 of 3 in 10 s")
    assert "job 987654 not found in this database after 4 tries" in lines[-1][1]
