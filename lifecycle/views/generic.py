"""The one way a lifecycle page writes: a form whose valid data builds an action.

A page declares its permission, form and template, and ``get_action(form)``; the mixin runs
the action, shows a refusal on the form (or, for a button, as a message) and, on success,
adds the message and redirects. No view saves a model itself (as Wagtail's generic
``CreateView``/``EditView`` call their actions)."""

from abc import ABC, abstractmethod

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from audit.mixins import PermissionMixin
from audit.versions import VersionCheckMixin


def add_refusal(form, error):
    """Put a refusal on the form: a message naming one of the form's fields goes under that
    field, any other above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ActionFormMixin(VersionCheckMixin, PermissionMixin, ABC):
    """Saves through ``get_action(form)``. ``success_message(result)`` and
    ``success_url(result)`` say what follows (``done``), ``refused`` what a refusal shows;
    the result is what the action returned. An edit form carries its record's version: a
    save against a newer one is refused (``audit.versions``)."""

    @abstractmethod
    def get_action(self, form):
        """The action that writes the form's valid data (not yet executed)."""

    def success_message(self, result):
        return ""

    def success_url(self, result):
        return result

    def form_valid(self, form):
        return self.with_version_check(form, self.run_action)

    def run_action(self, form):
        try:
            result = self.get_action(form).execute()
        except ValidationError as exc:
            return self.refused(form, exc)
        return self.done(result)

    def refused(self, form, error):
        """The action said no: show why on the form; nothing was written."""
        add_refusal(form, error)
        return self.form_invalid(form)

    def done(self, result):
        message = self.success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.success_url(result))


class SaveFormMixin(ActionFormMixin):
    """A model form saved through ``action_class(user, instance, reason)`` (an
    ``audit.actions.SaveInstance``); the reason field is optional when adding."""

    action_class = None

    def get_action(self, form):
        return self.action_class(self.request.user, form.save(commit=False),
                                 form.cleaned_data.get("reason"))

    def success_message(self, saved):
        return _("Saved %(record)s.") % {"record": saved}


class ActionPostView(PermissionMixin, View, ABC):
    """A button (POST only) that runs an action on the object of the URL: form errors and
    refusals appear as messages on the object's page."""

    http_method_names = ["post"]
    form_class = None

    @abstractmethod
    def get_object(self):
        """The record of the URL the button acts on."""

    def get_form(self):
        return self.form_class(self.request.POST)

    @abstractmethod
    def get_action(self, form):
        """The action the button runs with the form's valid data (not yet executed)."""

    def success_message(self, result):
        return ""

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else None
                for error in errors:
                    messages.error(request, _("%(label)s: %(error)s")
                                   % {"label": label, "error": error} if label else error)
            return redirect(self.object)
        try:
            result = self.get_action(form).execute()
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return redirect(self.object)
        messages.success(request, self.success_message(result))
        return redirect(self.success_url(result))

    def success_url(self, result):
        return self.object
