"""Importing a system table: starting the preview of an upload and its confirmed write as
jobs, running them in a worker, and writing the plan (``ApplyImport``).

The file is read and planned by ``registry.rules.import_files`` and ``registry.rules.imports``
(no writes); the upload is kept by ``registry.actions.uploads``."""

import time

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from audit.actions import Action
from catalog.actions.standards import owner_for
from catalog.models import Amendment, Standard, Supersession
from organizations.actions import SeedDefaultOrganization
from organizations.rules import current_organization
from registry.models import ImportJob, Node, Placement, Tailoring, TailoringKind, TailoringReason
from registry.rules.import_files import (
    ImportFileError,
    ImportLimitExceeded,
    ImportLimits,
    read_tables,
)
from registry.rules.import_templates import match_template
from registry.rules.imports import (
    IMPORT_PERMISSIONS,
    plan_import,
    preview,
    template_summary,
    wanted_sheets,
)
from registry.rules.tree import scope

from .jobs import FINAL, StartJob, fail, progress
from .templates import SeedBuiltInTemplate
from .uploads import stored_upload


class StartImportPreview(StartJob):
    """Check an uploaded system table in a worker, as an export runs: the page follows the
    job's progress instead of waiting on one long request. A preview writes no record."""

    permission = IMPORT_PERMISSIONS

    def __init__(self, user, token, name, lang):
        super().__init__(user)
        self.token, self.name, self.lang = token, name, lang

    def create(self):
        return ImportJob.objects.create(
            created_by=self.user, organization=current_organization(),
            kind=ImportJob.Kind.IMPORT_PREVIEW, lang=self.lang,
            fmt=self.name.rsplit(".", 1)[-1][:8].lower(), upload=self.token,
            result={"name": self.name})


class StartImport(StartJob):
    """Write a confirmed import in a worker: the request only queues the job, whose page
    follows it. The worker plans the file again against the database as it is then and
    writes it in one transaction: all of it or nothing. The same upload confirmed again
    while its job is queued or running joins that job, so a double click never imports
    twice."""

    permission = IMPORT_PERMISSIONS

    def __init__(self, user, token, name, lang):
        super().__init__(user)
        self.token, self.name, self.lang = token, name, lang

    def running(self):
        return ImportJob.objects.select_for_update().filter(
            kind=ImportJob.Kind.IMPORT, upload=self.token,
            state__in=(ImportJob.State.QUEUED, ImportJob.State.RUNNING)).first()

    def create(self):
        return ImportJob.objects.create(
            created_by=self.user, organization=current_organization(),
            kind=ImportJob.Kind.IMPORT, lang=self.lang,
            fmt=self.name.rsplit(".", 1)[-1][:8].lower(), upload=self.token,
            result={"name": self.name})


class ApplyImport(Action):
    """Write ``plan`` (``registry.rules.imports.plan_import``, without problems) in one
    transaction, every row with the user and the reason on its history.

    Who may import is checked where the import is asked for and again where it runs: the
    confirm page (``StartImport``) and the worker (``run_import``), or the operator's
    ``import_system_table`` command, which writes as the ``system`` account."""

    def __init__(self, user, plan, reason):
        super().__init__(user, reason)
        self.plan = plan

    def has_permission(self):
        return True

    def check(self):
        if not self.plan.ok:  # the callers list the problems; this guards the write
            raise ValueError("The plan has problems; nothing is written.")
        super().check()

    def _execute(self):
        plan = self.plan
        organization = current_organization() or SeedDefaultOrganization(self.user).execute()
        match = self.template_match(organization)
        nodes = {n.code: n for n in scope.nodes(organization)}
        for item in plan.nodes:
            node = self.record(Node(code=item["code"], name=item["name"],
                                      name_en=item.get("name_en", ""),
                                      clause=item.get("clause", ""),
                                      remarks=item.get("remarks") or None,
                                      owner=organization,
                                      template_node=match.matched.get(item["code"])
                                      if match else None))
            if item.get("parent"):
                parent = Node.objects.get(pk=nodes[item["parent"]].pk)
                nodes[item["code"]] = Node.objects.add_child(parent, instance=node)
            else:
                node.organization = item.get("organization") or ""
                nodes[item["code"]] = Node.objects.add_root(instance=node)
        if match is not None and match.creates_system:
            # The template aspects the table lacks are 删减, on record with why.
            reason = _("Not in the imported system table")
            for template_node in match.removed:
                self.save(Tailoring(
                    organization=organization, kind=TailoringKind.REMOVED,
                    template_node=template_node, code=template_node.code,
                    name=template_node.name, why=TailoringReason.OTHER, reason=reason,
                    created_by=self.user))
        for node, changes in plan.node_updates:
            node = Node.objects.get(pk=node.pk)
            for name, value in changes.items():
                setattr(node, name, value)
            self.save(node)
        standards = {s.number: s for s in Standard.unscoped.all()}
        for item in plan.standards:
            values = {key: item[key] for key in (
                "title", "implemented_on", "withdrawn_on", "adopted_number", "adoption_degree",
                "is_draft", "edition_year", "printed_number") if item.get(key) is not None}
            # A Q/ standard is the importing organization's own; the rest are shared.
            standard = self.save(Standard(number=item["number"],
                                          owner=owner_for(item["number"], organization),
                                          **values))
            standards[standard.number] = standard
        for standard, changes in plan.updates:
            for name, value in changes.items():
                setattr(standard, name, value)
            self.save(standard)
        for code, number, note in plan.placements:
            self.save(Placement(node=nodes[code], standard=standards[number], note=note))
        for placement, note in plan.notes:
            placement.note = note
            self.save(placement)
        for new, old in plan.supersessions:
            if not Supersession.objects.filter(new=standards[new], old=standards[old]).exists():
                self.save(Supersession(new=standards[new], old=standards[old]))
        for number, mark in plan.amendments:
            amendment = Amendment.objects.filter(standard=standards[number],
                                                 sequence=mark.sequence).first()
            if amendment is None:
                amendment = Amendment(standard=standards[number], sequence=mark.sequence,
                                      style=mark.style)
            amendment.year = mark.year
            self.save(amendment)
        return match

    def template_match(self, organization):
        """The plan's matching with a template; a system the import creates while the
        built-in template is not loaded yet loads it and is matched with it."""
        if not self.plan.nodes:
            return None
        if self.plan.template_match is not None:
            return self.plan.template_match
        if scope.system_root(organization) is not None:
            return None
        template = SeedBuiltInTemplate(self.user).execute()
        self.plan.template_match = match_template(self.plan.nodes, template,
                                                  creates_system=True,
                                                  organization=organization)
        return self.plan.template_match


def _read_and_plan(job, path, start, span, limits):
    """Read the upload (only the sheets the import needs) and plan it, within ``limits``;
    progress runs from ``start`` over ``span`` percent."""
    progress(job.pk, start)
    tables = read_tables(path.read_bytes(), path.name, wanted=wanted_sheets,
                         progress=limits.check)
    progress(job.pk, start + span // 4)

    def planned(done):
        limits.check()
        progress(job.pk, start + span // 4 + int(span * 3 // 4 * done))

    return plan_import(tables, progress=planned)


def _bounded(job, path, start, span):
    """``_read_and_plan`` within the job's limits: the plan, or None once the job has been
    marked failed with the reason (a file that cannot be read, or a limit reached)."""
    limits = ImportLimits()
    message = None
    try:
        with limits:
            return _read_and_plan(job, path, start, span, limits)
    except (ImportFileError, ImportLimitExceeded) as exc:
        message = str(exc)
    except SoftTimeLimitExceeded:
        message = limits.time_message()
    except MemoryError:
        message = limits.memory_message()
    fail(job, message)
    return None


def killed(job_id):
    """Mark failed the import job whose task was killed at Celery's hard time limit."""
    job = ImportJob.objects.filter(pk=job_id).exclude(state__in=FINAL).first()
    if job is not None:
        with translation.override(job.lang):
            fail(job, ImportLimits().time_message())


def run_import_preview(job):
    """Read and check the upload kept under ``job.upload``; the preview goes in ``result``."""
    started = time.perf_counter()
    with translation.override(job.lang):
        path = stored_upload(job.upload)
        if path is None:
            fail(job, translation.gettext("The uploaded file is no longer kept."))
            return
        try:
            plan = _bounded(job, path, 5, 90)
        except Exception as exc:  # noqa: BLE001 — reported on the job page
            fail(job, repr(exc))
            raise
        if plan is None:
            return
        progress(job.pk, 100, ImportJob.State.DONE, result={**(job.result or {}),
                                                            **preview(plan)},
                 seconds=time.perf_counter() - started)


def run_import(job):
    """Plan the confirmed upload again and write it in one transaction, with the job's
    outcome: the rows and the job's "done" are committed together or not at all. A worker
    killed while writing leaves nothing written; delivered again, the job plans and writes
    anew (and finds nothing left to do if the first write was committed)."""
    started = time.perf_counter()
    result = job.result or {}
    with translation.override(job.lang):
        if not job.created_by.has_perms(IMPORT_PERMISSIONS):  # a role taken away meanwhile
            progress(job.pk, 100, ImportJob.State.FAILED, message=translation.gettext(
                "The user who confirmed this import may no longer import; nothing was "
                "written."))
            return
        path = stored_upload(job.upload)
        if path is None:
            progress(job.pk, 100, ImportJob.State.FAILED,
                     message=translation.gettext("The uploaded file is no longer kept."))
            return
        try:
            plan = _bounded(job, path, 5, 55)
            if plan is None:
                return
            if not plan.ok:
                progress(job.pk, 100, ImportJob.State.FAILED,
                         result={**result, **preview(plan)},
                         message=translation.gettext(
                             "The file has problems now; nothing was written."))
                return
            progress(job.pk, 60)
            reason = translation.gettext("Import of %(file)s") % {
                "file": result.get("name", path.name)}
            with transaction.atomic():
                match = ApplyImport(job.created_by, plan, reason).execute()
                matching = None if match is None else {
                    **match.as_dict(), "summary": template_summary(match)}
                progress(job.pk, 100, ImportJob.State.DONE,
                         result={**result, "summary": str(plan.summary()),
                                 "template": matching},
                         seconds=time.perf_counter() - started)
        except Exception as exc:  # noqa: BLE001 — reported on the job page
            progress(job.pk, 100, ImportJob.State.FAILED, message=repr(exc))
            raise
    path.unlink(missing_ok=True)
