"""Writing supersession and citation rows one by one, so each gets its history row.

(``ManyToManyField.set()`` would bulk-create the through rows and record nothing.) Every
helper here runs inside an ``audit.actions.Action``, which stamps each row it writes.
"""

from catalog.models import Citation, Supersession


def sync_links(action, model, own_field, other_field, owner, others, extra=None):
    """Make ``owner`` linked (through ``model``) to exactly ``others``: the links no longer
    wanted are deleted and the missing ones added, each with ``action``'s user and reason."""
    existing = {getattr(link, f"{other_field}_id"): link
                for link in model.objects.filter(**{own_field: owner})}
    wanted = {other.pk: other for other in others}
    for pk, link in existing.items():
        if pk not in wanted:
            action.delete(link)
    for pk, other in wanted.items():
        if pk not in existing:
            action.save(model(**{own_field: owner, other_field: other}, **(extra or {})))


def set_replaces(action, standard, olds):
    """Make ``standard`` replace exactly ``olds``."""
    sync_links(action, Supersession, "new", "old", standard, olds)


def set_cites(action, standard, cited):
    """Make ``standard`` normatively reference exactly ``cited``."""
    sync_links(action, Citation, "citing", "cited", standard, cited)
