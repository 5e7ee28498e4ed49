"""Writing supersession and citation rows one by one, so each gets its history row.

(``ManyToManyField.set()`` would bulk-create the through rows and record nothing.)
"""

from catalog.models import Citation, Supersession


def _sync(model, own_field, other_field, standard, others, user, reason, extra=None):
    existing = {getattr(link, f"{other_field}_id"): link
                for link in model.objects.filter(**{own_field: standard})}
    wanted = {other.pk: other for other in others}
    for pk, link in existing.items():
        if pk not in wanted:
            link._history_user, link._change_reason = user, reason
            link.delete()
    for pk, other in wanted.items():
        if pk not in existing:
            link = model(**{own_field: standard, other_field: other}, **(extra or {}))
            link._history_user, link._change_reason = user, reason
            link.save()


def set_replaces(standard, olds, user=None, reason=""):
    """Make ``standard`` replace exactly ``olds``."""
    _sync(Supersession, "new", "old", standard, olds, user, reason)


def set_cites(standard, cited, user=None, reason=""):
    """Make ``standard`` normatively reference exactly ``cited``."""
    _sync(Citation, "citing", "cited", standard, cited, user, reason)
