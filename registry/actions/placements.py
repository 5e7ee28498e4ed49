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


class OrderPlacements(Action):
    """Set the order of the standards on one node by hand (``numbers``: every standard
    placed there, in the order wanted), or, with ``numbers=None``, go back to the reading
    order of the system table (``registry.table_data.ordered``)."""

    permission = "registry.change_placement"

    def __init__(self, user, node, numbers, reason=""):
        super().__init__(user, reason)
        self.node, self.numbers = node, numbers

    def check(self):
        super().check()
        if self.numbers is None:
            return
        placed = set(self.node.placements.values_list("standard__number", flat=True))
        wanted = list(self.numbers)
        if len(set(wanted)) != len(wanted):
            raise ActionError(_("A standard is listed twice."))
        if set(wanted) != placed:
            missing, extra = sorted(placed - set(wanted)), sorted(set(wanted) - placed)
            raise ActionError(_("List every standard placed on this node, once. Missing: "
                                "%(missing)s; not placed here: %(extra)s.") % {
                "missing": ", ".join(missing) or "—", "extra": ", ".join(extra) or "—"})

    def _execute(self):
        positions = ({number: index for index, number in enumerate(self.numbers, start=1)}
                     if self.numbers is not None else {})
        placements = (self.node.placements.select_related("standard")
                      .select_for_update(of=("self",)))
        for placement in placements:
            position = positions.get(placement.standard.number)
            if placement.position != position:
                placement.position = position
                self.record(placement, "reordered").save()
        return self.node
