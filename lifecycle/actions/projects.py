"""Writes of the projects area."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from catalog.choices import Level
from catalog.models import Standard, Supersession
from catalog.numbers import StandardNumberError, parse_standard_number
from lifecycle.choices import ProjectLevel
from lifecycle.models import Project, ProjectEvent
from lifecycle.workflow import TRANSITIONS
from registry.models import Placement


class AlreadyDecided(ValidationError):
    """The project moved on since the page was loaded."""


def _transition(project, name):
    if name not in TRANSITIONS:
        raise PermissionDenied
    method = getattr(project, name)
    return method, method._django_fsm.get_transition(project.stage)


def unmet_conditions(project, name):
    _method, spec = _transition(project, name)
    if spec is None:
        return []
    return [str(c.message) for c in spec.conditions if not c(project)]


def user_transitions(project, user):
    """(name, info, unmet condition messages) for each transition this user may take from
    the current stage; the page offers the ready ones and says what the others need."""
    result = []
    for name, info in TRANSITIONS.items():
        _method, spec = _transition(project, name)
        if spec is not None and spec.has_perm(project, user):
            result.append((name, info, unmet_conditions(project, name)))
    return result


def _already_decided(project):
    last = project.events.order_by("-at", "-id").select_related("user").first()
    who = (last.user.get_full_name() or last.user.get_username()) if last else "?"
    return AlreadyDecided(
        _("Already decided by %(user)s: the project is now at “%(stage)s”.")
        % {"user": who, "stage": project.get_stage_display()}
    )


def run_transition(project, name, user, reason, expected_stage=None, detail="", **data):
    """Take transition ``name`` on ``project`` as ``user``. Returns the saved project."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a short reason for this change."))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if expected_stage and project.stage != expected_stage:
            raise _already_decided(project)
        method, spec = _transition(project, name)
        if spec is None:
            raise ValidationError(_("This step is not possible at the stage “%(stage)s”.")
                                  % {"stage": project.get_stage_display()})
        if not spec.has_perm(project, user):
            raise PermissionDenied(_("Your role may not take this step."))
        unmet = unmet_conditions(project, name)
        if unmet:
            raise ValidationError(unmet)
        from_stage = project.stage
        method(user=user, reason=reason, **data)
        project._history_user, project._change_reason = user, reason
        try:
            project.save()
        except ConcurrentTransition as exc:
            raise _already_decided(Project.objects.get(pk=project.pk)) from exc
        event = ProjectEvent(project=project, transition=name, from_stage=from_stage,
                             to_stage=project.stage, user=user, reason=reason,
                             detail=detail or _event_detail(data))
        event._history_user, event._change_reason = user, reason
        event.save()
        transaction.on_commit(lambda: _notify(project.pk, event.pk))
    return project


def _event_detail(data):
    return "; ".join(f"{key}: {value}" for key, value in data.items() if value not in (None, ""))


def _notify(project_id, event_id):
    from lifecycle.notifications import notify_transition

    notify_transition(Project.objects.get(pk=project_id), ProjectEvent.objects.get(pk=event_id))


# A project publishes at its own level (a national project may yield an industry standard).
LEVELS_FOR_PROJECT = {
    ProjectLevel.ORGANIZATION: {Level.ORGANIZATION},
    ProjectLevel.LOCAL: {Level.LOCAL},
    ProjectLevel.NATIONAL: {Level.NATIONAL, Level.INDUSTRY},
}


def _recorded(instance, user, reason):
    instance._history_user, instance._change_reason = user, reason
    return instance


def publish_standard(project, user, reason, number, issued_on, implemented_on):
    """Create the published standard, place it on the project's node and, for a revision,
    make it replace its predecessor. Raises ValidationError with a user-facing message."""
    try:
        canonical = parse_standard_number(number).canonical
    except StandardNumberError as exc:
        raise ValidationError({"number": str(exc)}) from exc
    parsed = parse_standard_number(canonical)
    allowed = LEVELS_FOR_PROJECT[project.level]
    if parsed.level not in allowed:
        raise ValidationError({"number": _(
            "%(number)s is a %(level)s standard number; this %(project)s project publishes "
            "a standard of its own level.") % {
                "number": canonical, "level": Level(parsed.level).label,
                "project": project.get_level_display()}})
    if not parsed.is_dated:
        raise ValidationError({"number": _("A published standard needs the year in its "
                                           "number.")})
    if Standard.objects.filter(number=canonical).exists():
        raise ValidationError({"number": _("%(number)s is already in the catalog.")
                               % {"number": canonical}})
    if not issued_on or not implemented_on:
        raise ValidationError(_("Give the issue and implementation dates."))
    if implemented_on < issued_on:
        raise ValidationError(_("The implementation date cannot be before the issue date."))
    standard = _recorded(Standard(
        number=canonical, title=project.title, issued_on=issued_on,
        implemented_on=implemented_on,
    ), user, reason)
    standard.save()
    _recorded(Placement(node=project.node, standard=standard), user, reason).save()
    if project.revises_id:
        _recorded(Supersession(new=standard, old=project.revises), user, reason).save()
    return standard
