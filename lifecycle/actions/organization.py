"""Writes of the organization area (clause 5.1–5.2): departments, staff profiles and
training records, one action each."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from audit.actions import Action, SaveInstance
from lifecycle.actions import in_organization
from lifecycle.models import StaffProfile
from lifecycle.rules.organization import (
    ONE_BODY,
    check_one_body,
    check_training_date,
    check_training_hours,
)


class SaveDepartment(SaveInstance):
    """Add or change a department; a second body or lead department is refused with a clear
    message (also when two people save at the same moment)."""

    default_reason = gettext_lazy("Department added")

    def execute(self):
        try:
            return super().execute()
        except IntegrityError as exc:
            raise ValidationError(str(ONE_BODY)) from exc

    def _execute(self):
        in_organization(self.instance)
        check_one_body(self.instance)
        self.instance.validate_constraints()
        return self.save(self.instance)


class SaveProfile(Action):
    """Create or change ``person``'s staff profile (one history row either way). When two
    people create the same profile at once, the second one changes what the first made."""

    permission = "lifecycle.change_staffprofile"

    def __init__(self, user, person, reason="", *, department, role, duties):
        super().__init__(user, reason)
        self.person = person
        self.values = {"department": department, "role": role, "duties": duties}

    def execute(self):
        self.check()
        for attempt in range(2):
            try:
                with transaction.atomic():
                    return self._execute()
            except IntegrityError:
                if attempt:
                    raise

    def _execute(self):
        profile = (StaffProfile.objects.select_for_update().filter(user=self.person).first()
                   or in_organization(StaffProfile(user=self.person)))
        for field, value in self.values.items():
            setattr(profile, field, value)
        return self.save(profile)


class AddTraining(Action):
    """Save a new training record (the certificate already attached by ``record.attach``)."""

    permission = "lifecycle.add_trainingrecord"
    reason_required = False
    default_reason = gettext_lazy("Training recorded")

    def __init__(self, user, record, reason=""):
        super().__init__(user, reason)
        self.training = record

    def check(self):
        super().check()
        check_training_date(self.training.attended_on)
        check_training_hours(self.training.hours)

    def _execute(self):
        self.training.created_by = self.user
        return self.save(in_organization(self.training))


class ChangeTraining(Action):
    """Save corrections to a training record (a new certificate already attached by
    ``record.attach``; ``remove_certificate`` drops the current one). Office staff only,
    with a reason, under the same rules as recording it."""

    permission = "lifecycle.change_trainingrecord"
    permission_message = gettext_lazy("You may not change training records.")
    reason_error_field = "reason"

    def __init__(self, user, record, reason="", *, remove_certificate=False):
        super().__init__(user, reason)
        self.training, self.remove_certificate = record, remove_certificate

    def check(self):
        super().check()
        check_training_date(self.training.attended_on)
        check_training_hours(self.training.hours)

    def _execute(self):
        if self.remove_certificate:
            training = self.training
            training.file, training.original_name, training.file_format = "", "", ""
        return self.save(self.training)


class DeleteTraining(Action):
    """Delete a training record entered by mistake; the history keeps it with the user and
    the reason. Office staff only."""

    permission = "lifecycle.delete_trainingrecord"
    permission_message = gettext_lazy("You may not delete training records.")
    reason_error_field = "reason"

    def __init__(self, user, record, reason=""):
        super().__init__(user, reason)
        self.training = record

    def _execute(self):
        self.delete(self.training)
