"""The form pieces every audited change shares: the reason the history row carries and the
date input. One home for them, so each form asks the same question in the same words."""

from html import escape

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from audit.actions import REASON_REQUIRED
from audit.text import (
    TEXT_VALIDATORS,
    normalize_lines,
    refuse_invisible_characters,
    refuse_invisible_characters_in_lines,
)

REASON_LABEL = _("Reason for this change")
REASON_HELP = _("Kept in the history with your name and the time.")


def _file_name_validator(upload):
    refuse_invisible_characters(getattr(upload, "name", "") or "")


def protect_field(field):
    """Put the text rule (``audit.text``) on one form field: a text field refuses control
    and invisible characters — line breaks and tabs too, unless it is a text area or says
    ``takes_lines`` —; an uploaded file's name refuses them too. A password is left as
    typed (it is never shown, and refusing it could lock its owner out)."""
    if isinstance(field, forms.FileField):
        if _file_name_validator not in field.validators:
            field.validators.append(_file_name_validator)
        return
    if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
        return
    if any(v in field.validators for v in TEXT_VALIDATORS):
        return
    if getattr(field, "takes_lines", False) or isinstance(field.widget, forms.Textarea):
        field.validators.append(refuse_invisible_characters_in_lines)
        to_python = field.to_python
        field.to_python = lambda value: normalize_lines(to_python(value))
    else:
        field.validators.append(refuse_invisible_characters)


class SafeTextMixin:
    """Every form of the project has this base: each of its text fields (declared, from a
    model or added in ``__init__``) gets the text rule before it is cleaned, so no field
    can be forgotten. ``tests/security/test_control_chars.py`` fails for a form without it."""

    def full_clean(self):
        for field in self.fields.values():
            protect_field(field)
        super().full_clean()


class ReasonField(forms.CharField):
    """"Reason for this change": kept on the history row with the user and the time. It
    may take several lines, as any text area.

    ``required=False`` for the pages where adding is its own reason; a form that asks for it
    only when editing uses ``ReasonFormMixin``."""

    takes_lines = True

    def __init__(self, *, label=REASON_LABEL, max_length=255, help_text=REASON_HELP, **kwargs):
        kwargs.setdefault("error_messages", {}).setdefault("required", REASON_REQUIRED)
        super().__init__(label=label, max_length=max_length, help_text=help_text, **kwargs)


class ReasonForm(SafeTextMixin, forms.Form):
    """Confirms a deletion (or another change without other data) with its reason."""

    reason = ReasonField()


class ReasonFormMixin:
    """For model forms with a ``reason``: adding needs none (the field is dropped), changing
    needs one."""

    def drop_reason_when_adding(self):
        if not self.instance.pk:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True


class DateInput(forms.DateInput):
    """A browser date picker; the value is written ISO (YYYY-MM-DD), as the picker wants."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's argument name
        super().__init__(attrs=attrs, format=format)


def user_display(user):
    """A person as pages show them: the full name, else the user name."""
    return user.get_full_name() or user.get_username()


def user_display_and_username(user):
    """A person in a list to pick from: the name the pages show and, when that differs, the
    user name that tells two people of one name apart (张伟 · zhangwei)."""
    shown = user_display(user)
    return shown if shown == user.get_username() else f"{shown} · {user.get_username()}"


class UserFilterField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_display_and_username(obj)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_display(obj)


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return user_display(obj)


def active_users():
    return get_user_model().objects.filter(is_active=True).order_by("username")


def active_users_and(*users):
    """Active users, plus the given ones even if they have left (so a record that names a
    former colleague can still be edited without changing that person)."""
    keep = [user.pk for user in users if user is not None]
    return get_user_model().objects.filter(
        Q(is_active=True) | Q(pk__in=keep)).order_by("username")


def _joined(*values):
    return " ".join(str(value) for value in values)


class ValuesSelect(forms.Select):
    """The ``<select>`` of a model choice field written by string work from plain values:
    with Django's template per option and a model instance per record, a list of 2,000
    nodes or 5,000 standards took most of a page's time. Same markup as ``forms.Select``;
    the label of each option is ``label(*values of fields)`` (by default the values joined
    by a space, as the models' ``__str__``)."""

    def __init__(self, fields, label=_joined, attrs=None):
        super().__init__(attrs)
        self.fields, self.label = tuple(fields), label

    def render(self, name, value, attrs=None, renderer=None):
        if not isinstance(self.choices, ModelChoiceIterator):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>']

        def option(key, label):
            mark = " selected" if key in selected else ""
            parts.append(f'  <option value="{escape(key)}"{mark}>{escape(label)}</option>')

        if self.choices.field.empty_label is not None:
            option("", str(self.choices.field.empty_label))
        for pk, *values in self.choices.queryset.values_list("pk", *self.fields):
            option(str(pk), self.label(*values))
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 (every value above is escaped)
