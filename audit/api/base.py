"""Pieces every app's API views share: permissions per action, the reason of a write, the
page's form that checks a write, the ETag of a record."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from audit.api.concurrency import etag


class ActionPermissions:
    """``permissions = {"list": "app.view_x", "create": …}``: the permission each action
    of a viewset needs, as the matching page needs it (``"*"``: the default for actions not
    named; None: any logged-in user)."""

    permissions = {}
    # Ids are numbers that fit the database's integers; any other URL is a 404.
    lookup_value_regex = r"[0-9]{1,18}"

    def get_permission_required(self):
        action = getattr(self, "action", None)
        return self.permissions.get(action, self.permissions.get("*"))


class ReasonSerializerField(serializers.CharField):
    """The reason of a change, kept on the history row (required where the page requires
    it: the action says so)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("help_text", _("Why: kept on the history row."))
        super().__init__(**kwargs)


class ReasonSerializer(serializers.Serializer):
    reason = ReasonSerializerField()


def form_data(data):
    """An API request's validated data as a page's form takes it (None as empty)."""
    return {key: ("" if value is None else value) for key, value in data.items()}


def validated(form):
    """The cleaned data of the page's ``form``, filled with the API request's data: every API
    write is checked by the form of its page (one set of rules, ``audit.text`` included), and
    a refusal names the fields as the page would."""
    if not form.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
    return form.cleaned_data


def with_etag(response_or_data, record, status=200):
    response = (response_or_data if isinstance(response_or_data, Response)
                else Response(response_or_data, status=status))
    response["ETag"] = etag(record)
    return response
