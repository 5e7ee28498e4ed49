"""Every API error in one shape, in the caller's language (``Accept-Language``):

    {"error": {"status": 400, "code": "invalid", "message": "…",
               "fields": {"name": ["…"]}}}

``fields`` is there when the error is about given fields; a stale write (412) adds
``current_version``. Refusals of the actions (``ActionError``, Django's
``ValidationError`` and ``PermissionDenied``) come out as 400 and 403 with their messages.
"""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class PreconditionFailed(exceptions.APIException):
    """The record changed since the version the caller read (``If-Match``)."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale"

    def __init__(self, current_version):
        super().__init__(_("This record was changed since the version you read "
                           "(If-Match). Read it again and repeat your change."))
        self.current_version = current_version


def _django_validation(exc):
    if hasattr(exc, "error_dict"):
        fields = {(name or "non_field_errors"): [str(m) for e in errors for m in e.messages]
                  for name, errors in exc.error_dict.items()}
        message = " ".join(m for messages in fields.values() for m in messages)
        return message, fields
    return " ".join(str(m) for m in exc.messages), None


def _flatten(detail):
    """DRF's error detail as (message, fields)."""
    if isinstance(detail, dict):
        fields = {name: [str(m) for m in (value if isinstance(value, list) else [value])]
                  for name, value in detail.items()}
        return " ".join(m for messages in fields.values() for m in messages), fields
    if isinstance(detail, list):
        return " ".join(str(m) for m in detail), None
    return str(detail), None


def body(status_code, code, message, fields=None, **extra):
    error = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    error.update(extra)
    return {"error": error}


def handle(exc, context):
    if isinstance(exc, DjangoValidationError):
        message, fields = _django_validation(exc)
        return Response(body(400, "invalid", message, fields), status=400)
    if isinstance(exc, SuspiciousOperation):  # too many fields, a body too big …
        return Response(body(400, "bad_request", _("This request cannot be read.")),
                        status=400)
    if isinstance(exc, IntegrityError):
        return Response(body(409, "conflict", _("This conflicts with a record that exists "
                                                "already.")), status=409)
    if isinstance(exc, PermissionDenied) and exc.args:
        return Response(body(403, "permission_denied", str(exc.args[0])), status=403)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    message, fields = _flatten(detail)
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if not isinstance(code, str):
        code = "invalid"
    extra = {}
    if isinstance(exc, PreconditionFailed):
        extra["current_version"] = exc.current_version
        response["ETag"] = f'"{exc.current_version}"'
    response.data = body(response.status_code, code, message, fields, **extra)
    return response


ERROR_ANSWERS = {
    "400": "The request is not valid; `fields` says which field and why.",
    "401": "No valid token or session.",
    "403": "Not allowed for this user or token.",
    "404": "No such record.",
    "412": "The record changed since the version in If-Match; `current_version` is its "
           "version now.",
    "429": "Too many requests for this token; wait and retry.",
}


def document_errors(result, generator, request, public):
    """A schema postprocessing hook: every operation may answer with the error shape."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorDetail"] = {
        "type": "object",
        "properties": {
            "status": {"type": "integer"},
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {
                "type": "array", "items": {"type": "string"}}},
            "current_version": {"type": "string"},
        },
        "required": ["status", "code", "message"],
    }
    schemas["Error"] = {"type": "object", "properties": {
        "error": {"$ref": "#/components/schemas/ErrorDetail"}}, "required": ["error"]}
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "401", "403", "404", "429"]
            if method in ("post", "patch", "put", "delete"):
                codes += ["409", "412"]
            for code in codes:
                operation["responses"].setdefault(
                    code, {"description": ERROR_ANSWERS.get(code, "Conflict."),
                           "content": ref})
    return result
