"""What registry adds to every history row: a node's parent and position, and the place in
the tree that the audit log uses to show a subtree's history."""

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from registry.models import Node, Placement


def parent_and_position(node):
    """(parent id, 1-based position among siblings) of a node as it stands now."""
    steplen = node.steplen
    parent_path = node.path[:-steplen]
    siblings = Node.objects.filter(depth=node.depth, path__startswith=parent_path)
    position = siblings.filter(path__lt=node.path).count() + 1
    parent_id = None
    if parent_path:
        parent_id = Node.objects.filter(path=parent_path).values_list("pk", flat=True).first()
    return parent_id, position


# simple-history sends these signals with the *historical* model as sender.
@receiver(pre_create_historical_record, sender=Node.history.model,
          dispatch_uid="registry.node_history")
def record_node_place(sender, instance, history_instance, **kwargs):
    history_instance.parent_node_id, history_instance.position = parent_and_position(instance)
    history_instance._audit_scope = (instance.pk, instance.path)


@receiver(pre_create_historical_record, sender=Placement.history.model,
          dispatch_uid="registry.placement_history")
def record_placement_place(sender, instance, history_instance, **kwargs):
    node = Node.objects.filter(pk=instance.node_id).only("path").first()
    history_instance._audit_scope = (instance.node_id, node.path if node else "")

