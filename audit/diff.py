"""History rows as people read them: versions of a record with field-level changes
(old → new), with names instead of ids and labels instead of codes."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.models import HISTORY_TYPE_ACTIONS, LogAction, LogEntry

BOOKKEEPING = {
    "history_id", "history_date", "history_change_reason", "history_type", "history_user",
    "prev_hash", "row_hash", "created_at", "updated_at",
}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Version:
    record: object
    action: str
    changes: list = field(default_factory=list)

    @property
    def action_label(self):
        return LogAction(self.action).label


def shown_fields(history_model):
    """The fields a person changes: not the history bookkeeping, not the record's own id."""
    own_pk = history_model.instance_type._meta.pk.attname
    return [f for f in history_model._meta.concrete_fields
            if f.name not in BOOKKEEPING and f.attname != own_pk]


class Display:
    """Turns stored values into text; looks related records up in bulk, once per page."""

    def __init__(self, history_model, records, references=None):
        self.fields = shown_fields(history_model)
        references = dict(references or {})
        for f in self.fields:
            if isinstance(f, models.ForeignKey):
                references[f.attname] = f.related_model
        self.names = {}
        for attname, model in references.items():
            ids = {getattr(r, attname) for r in records} - {None}
            found = model._default_manager.in_bulk(ids) if ids else {}
            self.names[attname] = {pk: str(obj) for pk, obj in found.items()}

    def value(self, f, value):
        if value is None or value == "":
            return "—"
        if f.attname in self.names:
            return self.names[f.attname].get(value, f"#{value}")
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), "Y-m-d H:i")
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    def changes(self, old, new):
        """Field changes from record ``old`` (None: nothing before) to record ``new``."""
        result = []
        for f in self.fields:
            before = getattr(old, f.attname) if old is not None else None
            after = getattr(new, f.attname)
            if old is None and after in (None, ""):
                continue
            if before != after:
                result.append(Change(str(f.verbose_name), self.value(f, before),
                                     self.value(f, after)))
        return result


def versions(records, references=None):
    """Versions newest first, each with its changes against the version before it.

    ``records`` are one object's history rows (any order); ``references`` maps plain id
    fields to the model they point at (for example a node's parent)."""
    records = sorted(records, key=lambda r: (r.history_date, r.pk))
    if not records:
        return []
    display = Display(type(records[0]), records, references)
    actions = dict(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(records[0].instance_type),
            history_id__in=[r.pk for r in records],
        ).values_list("history_id", "action")
    )
    result, previous = [], None
    for record in records:
        action = actions.get(record.pk) or HISTORY_TYPE_ACTIONS[record.history_type]
        changes = [] if record.history_type == "-" else display.changes(previous, record)
        result.append(Version(record=record, action=action, changes=changes))
        previous = record
    return list(reversed(result))


def compare(older, newer, references=None):
    """Changes between any two versions of one record."""
    display = Display(type(older), [older, newer], references)
    return display.changes(older, newer)
