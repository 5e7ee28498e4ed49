"""A project's standard text (clause 7.3.2) and a published standard's: the first one
created in the registry (from the skeleton or a DOCX), a later import replacing it with a
reason, each part's history kept by the texts app's actions (``texts.actions``).

The operator's commands (``import_draft``) write as the ``system`` account, which holds no
role: ``by_operator`` trusts whoever runs a command on the server, as
``import_system_table`` does, and still keeps every write in the organization acted in."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import REASON_REQUIRED, Action, ActionError
from organizations.rules import current_organization
from texts.actions import (
    AddText,
    FreezeDraft,
    PublishText,
    ReplaceText,
    current_organization_id,
)
from texts.models import Draft, Text


class AddTextAsOperator(AddText):
    """``AddText`` without the role check (its organization check stays in ``check``)."""

    def has_permission(self):
        return True


class ReplaceTextAsOperator(ReplaceText):
    """``ReplaceText`` without the role check: still only a text of the organization
    acted in."""

    def has_permission(self):
        return self.text.organization_id == current_organization_id()


def _create(by_operator):
    return AddTextAsOperator if by_operator else AddText


def _replace(by_operator):
    return ReplaceTextAsOperator if by_operator else ReplaceText


class LinkText(Action):
    """Make ``document`` the project's text: a new text of the project's organization, or,
    when the project has one, that text replaced (every part deleted and added again, with
    history), which needs a reason. The project's link to its text is saved with its own
    history row."""

    permission = "lifecycle.change_project"
    reason_required = False
    default_reason = gettext_lazy("Text created")

    def __init__(self, user, project, document, reason="", *, by_operator=False):
        super().__init__(user, reason)
        self.project, self.document, self.by_operator = project, document, by_operator
        # Replacing a text needs the reason the user gave, not this action's default.
        self.given_reason = self.reason

    def has_permission(self):
        return self.by_operator or super().has_permission()

    def check(self):
        if self.project.text_id and not self.given_reason:
            raise ActionError(str(REASON_REQUIRED))
        super().check()
        if self.project.is_final:
            raise ActionError(_("This project is finished."))

    def _execute(self):
        project = self.lock(self.project)
        if project.text_id is not None:
            if not self.given_reason:
                raise ActionError(str(REASON_REQUIRED))
            text = Text.objects.get(pk=project.text_id)
            _replace(self.by_operator)(self.user, text, self.document,
                                       self.given_reason).execute()
            return project
        text = _create(self.by_operator)(self.user, project.organization,
                                         document=self.document, reason=self.reason).execute()
        project.text = text
        self.save(project)
        return project


class LinkStandardText(Action):
    """Make ``document`` the text of the published ``standard``: a new text of the
    organization acted in, or the standard's text replaced (with a reason)."""

    permission = "texts.add_text"
    reason_required = False
    default_reason = gettext_lazy("Text created")

    def __init__(self, user, standard, document, reason="", *, by_operator=False):
        super().__init__(user, reason)
        self.standard, self.document, self.by_operator = standard, document, by_operator
        self.given_reason = self.reason
        self.existing = Text._base_manager.filter(standard=standard).first()

    def has_permission(self):
        return self.by_operator or super().has_permission()

    def check(self):
        if self.existing is not None and not self.given_reason:
            raise ActionError(str(REASON_REQUIRED))
        super().check()

    def _execute(self):
        if self.existing is not None:
            return _replace(self.by_operator)(self.user, self.existing, self.document,
                                              self.given_reason).execute()
        organization = current_organization()
        if organization is None:
            raise ActionError(_("No organization is being acted in."))
        return _create(self.by_operator)(self.user, organization, standard=self.standard,
                                         document=self.document, reason=self.reason).execute()



def freeze_text(user, project, stage, reason):
    """Freeze the project's text as the ``stage``'s draft, inside the transition that
    reaches it (``TakeTransition``; ``FROZEN_AT``). At publication the text first becomes
    the published standard's (``PublishText``), so the frozen published text carries the
    standard's number and dates."""
    text = Text.objects.get(pk=project.text_id)
    if stage == Draft.Stage.PUBLISHED and project.standard_id is not None:
        text = PublishText(user, text, project.standard, project.standard.number,
                           reason).execute()
    return FreezeDraft(user, text, stage, reason).execute()
