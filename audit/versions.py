"""Lost updates: an edit form remembers the version of the record it was loaded from.

A record's version is the id of its latest history row (every change writes one), so no
column is added anywhere. The edit page puts it in a hidden field; a save is compared with
the version found under the row lock, and a save against a newer version is refused with
who changed the record, when, and what they changed next to what this user typed
(``Conflict``). The form comes back with everything typed and the new version in the hidden
field: saving again puts these values over theirs; reloading starts from their version.
"""

from dataclasses import dataclass, field

from django import forms
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.diff import Display, shown_fields
from audit.forms import user_display
from audit.params import id_from

VERSION_FIELD = "loaded_version"


def version_of(record):
    """The version token of ``record``: its latest history row's id ("" for none)."""
    if record is None or record.pk is None:
        return ""
    latest = record.history.order_by("-pk").values_list("pk", flat=True).first()
    return str(latest or "")


@dataclass
class ConflictRow:
    label: str
    loaded: str  # the value when this user opened the form
    theirs: str  # the value now, after the other change
    yours: str  # what this user submitted
    clash: bool  # saving again would overwrite their value


@dataclass
class Conflict:
    changes: list  # (who, when, reason) of each change made since the form was loaded
    rows: list = field(default_factory=list)

    @property
    def names(self):
        return ", ".join(dict.fromkeys(who for who, _when, _reason in self.changes))


def _submitted(display, f, form):
    """What the user typed for model field ``f`` as the diff shows it, or None when the
    form does not edit it."""
    if f.name not in form.fields or f.name not in form.cleaned_data:
        return None
    value = form.cleaned_data[f.name]
    if isinstance(value, models.Model):
        return value.pk, str(value)
    if value is None or value == "":
        return None if f.null else value, "—"
    stored = getattr(value, "name", value) if isinstance(f, models.FileField) else value
    return stored, display.value(f, stored)


def conflict_for(record, loaded, form, newer=None):
    """What changed ``record`` since version ``loaded`` (a history row id), field by field
    against the values of ``form``. ``newer``: the history rows written since, when they
    are not the record's own (then no field comparison)."""
    own = newer is None
    if own:
        newer = list(record.history.filter(pk__gt=id_from(loaded)).select_related("history_user")
                     .order_by("pk")) if id_from(loaded) else []
    changes = [
        (user_display(row.history_user) if row.history_user else _("the system"),
         date_format(timezone.localtime(row.history_date), "Y-m-d H:i"),
         row.history_change_reason or "")
        for row in newer]
    conflict = Conflict(changes=changes)
    before = record.history.filter(pk=id_from(loaded)).first() if id_from(loaded) else None
    if not own or not newer or before is None:
        return conflict
    after = newer[-1]
    display = Display(type(after), [before, after])
    for f in shown_fields(type(after)):
        old, new = getattr(before, f.attname), getattr(after, f.attname)
        if old == new:
            continue
        mine = _submitted(display, f, form)
        conflict.rows.append(ConflictRow(
            label=str(f.verbose_name), loaded=display.value(f, old),
            theirs=display.value(f, new),
            yours=mine[1] if mine else _("(not on this form)"),
            clash=bool(mine) and mine[0] != new))
    return conflict


class VersionCheckMixin:
    """For edit pages (FormView/UpdateView): the form carries the version of its record in
    a hidden field and a save against a newer version is refused (see the module's text).

    The record is the form's ``instance`` (a model form) unless ``versioned_record()`` names
    another; ``record_version(record)`` may be overridden when the page also edits records
    linked to it. A POST without the hidden field is not checked (a form from before this
    check)."""

    def versioned_record(self, form):
        instance = getattr(form, "instance", None)
        return instance if instance is not None and instance.pk else None

    def record_version(self, record):
        return version_of(record)

    def changed_since(self, record, loaded):
        """The history rows written since version ``loaded``, when ``record_version`` is
        not the record's own history (None: the record's own rows)."""
        return None

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        record = self.versioned_record(form)
        if record is not None:
            form.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False)
            form.initial.setdefault(VERSION_FIELD, self.record_version(record))
        return form

    def form_valid(self, form):
        return self.with_version_check(form, super().form_valid)

    def with_version_check(self, form, proceed):
        """Run ``proceed(form)`` if the record is still at the version the form was loaded
        from, under its row lock (a second writer waits, then sees the first one's
        version); else show the conflict on the form."""
        record = self.versioned_record(form)
        loaded = form.cleaned_data.get(VERSION_FIELD) if record is not None else None
        if not loaded:
            return proceed(form)
        with transaction.atomic():
            list(type(record)._default_manager.select_for_update().filter(pk=record.pk))
            current = self.record_version(record)
            if current == loaded:
                return proceed(form)
        return self.version_conflict(form, record, loaded, current)

    def version_conflict(self, form, record, loaded, current):
        form.conflict = conflict_for(record, loaded, form, self.changed_since(record, loaded))
        form.add_error(None, _(
            "%(names)s changed this record after you opened this form, so your changes were "
            "not saved. Compare their change with yours below: reload to start from their "
            "version, or save again to put your values over theirs."
        ) % {"names": form.conflict.names or _("Someone else")})
        data = form.data.copy()
        data[form.add_prefix(VERSION_FIELD)] = current
        form.data = data
        return self.form_invalid(form)
