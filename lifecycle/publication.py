"""Publication puts the project's standard into the catalog and onto its node."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalog.choices import Level
from catalog.models import Standard, Supersession
from catalog.numbers import StandardNumberError, parse_standard_number
from lifecycle.choices import ProjectLevel
from registry.models import Placement

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
