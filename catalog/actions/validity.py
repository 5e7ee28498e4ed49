"""标准有效性查新: read what the catalog says of the numbers found in a text, and keep the
result as the organization's record (``AddValidityCheck``)."""

from dataclasses import replace

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from audit.actions import Action, ActionError
from catalog.models import Standard, Supersession, ValidityCheck
from catalog.rules.finding import find_written
from catalog.rules.validity import Edition, Line, build_lines, counts, keys
from organizations.rules import current_organization

# A text longer than this is not a reference list; the check would hold a request too long.
MAX_NUMBERS = 2000


def check_text(text, today=None):
    """The validity lines of every number found in ``text``, as of ``today``."""
    return check_numbers(find_written(text), today)


def check_numbers(found, today=None):
    """The lines of ``found`` (``(as written, parsed)``): one query for every edition of
    the numbers, then one per step of the supersession chains."""
    if len(found) > MAX_NUMBERS:
        raise ActionError(gettext_lazy("The text cites more than %(max)d standard numbers; "
                                       "check it in parts.") % {"max": MAX_NUMBERS})
    wanted = keys([number for _written, number in found])
    if not wanted:
        return []
    query = Q(pk__in=[])
    for code, serial in wanted:
        query |= Q(code=code, serial=serial)
    standards = Standard.objects.with_status(today)
    editions = _editions(standards.filter(query))
    new = set(editions)
    while new:
        links = Supersession.objects.filter(old__in=new).values_list("old_id", "new_id")
        successors = {}
        for old, new_id in links:
            successors.setdefault(old, []).append(new_id)
        for pk, following in successors.items():
            editions[pk] = replace(editions[pk], replaced_by=tuple(sorted(following)))
        unknown = {pk for following in successors.values() for pk in following} - set(editions)
        found_now = _editions(standards.filter(pk__in=unknown)) if unknown else {}
        editions.update(found_now)
        new = set(found_now)
    return build_lines(found, editions)


def _editions(queryset):
    """``{pk: Edition}`` of the standards of ``queryset`` (annotated ``with_status``)."""
    return {standard.pk: Edition(
        pk=standard.pk, number=standard.number, code=standard.code, serial=standard.serial,
        year=standard.year, title=standard.title, status=standard.computed_status,
        implemented_on=standard.implemented_on, withdrawn_on=standard.withdrawn_on)
        for standard in queryset}


class AddValidityCheck(Action):
    """Keep a validity check's lines with who ran it and when. Anyone who may read the
    catalog may check against it; the record is the organization's."""

    permission = "catalog.view_standard"
    reason_required = False
    default_reason = gettext_lazy("Validity check")

    def __init__(self, user, lines: list[Line], *, source, file_name="", today=None,
                 reason=""):
        super().__init__(user, reason)
        self.lines, self.source, self.file_name = lines, source, file_name
        self.today = today or timezone.localdate()

    def _execute(self):
        organization = current_organization()
        if organization is None:
            raise ActionError(gettext_lazy("No organization is being acted in."))
        check = ValidityCheck(
            organization=organization, created_by=self.user, checked_on=self.today,
            source=self.source, file_name=self.file_name[:255],
            lines=[line.as_dict() for line in self.lines], counts=counts(self.lines))
        return self.save(check)
