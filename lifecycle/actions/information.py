"""Writes of the information area (clause 5.4): collecting an item with the nodes and
standards it concerns, setting its status and opening a revision project from it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import Action, SaveInstance
from catalog.actions.relations import sync_links
from lifecycle.actions import in_organization
from lifecycle.actions.projects import OpenRevision
from lifecycle.choices import InformationStatus
from lifecycle.models import InformationNode, InformationStandard
from lifecycle.rules.files import detect_format
from lifecycle.rules.information import (
    MANUAL_STATUSES,
    check_date,
    normalize_tags,
    revisable_standards,
    revision_refusal,
    status_refusal,
)


class SaveInformationItem(SaveInstance):
    """Save ``item`` and make it concern exactly ``nodes`` and ``standards``, one link row
    at a time, all in one transaction. ``upload`` replaces the file (checked by content)."""

    default_reason = gettext_lazy("Information collected")

    def __init__(self, user, item, reason="", *, nodes, standards, upload=None,
                 remove_file=False):
        super().__init__(user, item, reason)
        self.nodes, self.standards = nodes, standards
        self.upload, self.remove_file = upload, remove_file

    def check(self):
        super().check()
        check_date(self.instance.published_on)

    def _execute(self):
        item = self.instance
        item.tags = normalize_tags(item.tags)
        if self.upload is not None:
            item.attach(self.upload, detect_format(self.upload))
        elif self.remove_file:
            item.file, item.original_name, item.file_format = "", "", ""
        if item.pk is None:
            item.created_by = self.user
        self.save(in_organization(item))
        sync_links(self, InformationNode, "item", "node", item, self.nodes)
        sync_links(self, InformationStandard, "item", "standard", item, self.standards)
        return item


class SetInformationStatus(Action):
    """Mark the item new, needing action or needing none, with a reason."""

    permission = "lifecycle.change_informationitem"

    def __init__(self, user, item, status, reason):
        super().__init__(user, reason)
        self.item, self.status = item, status

    def check(self):
        if self.has_permission() and self.status not in MANUAL_STATUSES:
            raise ValidationError(_("This status cannot be set by hand."))
        super().check()

    def _execute(self):
        item = self.lock(self.item)
        refusal = status_refusal(item)
        if refusal:
            raise ValidationError(refusal)
        if item.status == self.status:
            raise ValidationError(_("The item is already “%(status)s”.")
                                  % {"status": item.get_status_display()})
        item.status = self.status
        return self.save(item)


class OpenRevisionFromInformation(Action):
    """Open a revision project for one of the item's current standards (at most one open
    revision per standard), link it to the item and mark the item "action taken"."""

    permission = ("lifecycle.change_informationitem", "lifecycle.add_project")

    def __init__(self, user, item, standard, reason, department=None, level=None):
        super().__init__(user, reason)
        self.item, self.standard = item, standard
        self.department, self.level = department, level  # of the revision (OpenRevision)

    def _execute(self):
        item = self.lock(self.item)
        refusal = revision_refusal(item)
        if refusal:
            raise ValidationError(refusal)
        if not revisable_standards(item).filter(pk=self.standard.pk).exists():
            raise ValidationError(_("%(number)s is not a current standard this item "
                                    "concerns.") % {"number": self.standard.number})
        standard = self.lock(self.standard)
        project_reason = (_("Revision opened from the information “%(title)s”: %(reason)s")
                          % {"title": item.title, "reason": self.reason})
        project = OpenRevision(self.user, standard, project_reason, self.department,
                               self.level).execute()
        item.revision_project = project
        item.status = InformationStatus.ACTED
        self.save(item)
        return project
