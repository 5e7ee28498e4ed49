"""Placing catalog standards on nodes and taking them off."""

from django.utils.translation import gettext as _

from audit.actions import Action, ActionError
from registry.models import Placement


class PlaceStandard(Action):
    permission = "registry.add_placement"

    def __init__(self, user, node, standard, reason="", note=""):
        super().__init__(user, reason)
        self.node, self.standard, self.note = node, standard, note

    def check(self):
        super().check()
        if Placement.objects.filter(node=self.node, standard=self.standard).exists():
            raise ActionError(_("This standard is already placed on this node."))

    def _execute(self):
        placement = Placement(node=self.node, standard=self.standard, note=self.note)
        self.record(placement).save()
        return placement


class RemovePlacement(Action):
    permission = "registry.delete_placement"

    def __init__(self, user, placement, reason=""):
        super().__init__(user, reason)
        self.placement = placement

    def _execute(self):
        self.record(self.placement).delete()
        return self.placement
