"""Django's ModelBackend with each user's permission set kept in the cache.

Every page asks for permissions (the menu, the buttons, the view's own check); ModelBackend
reads them with two queries per request. Here the set is read once and kept in the cache
under the user's id together with a generation number; any change to a role, a user's
roles or permissions or a permission starts a new generation (the receivers below), so the
next request of every user reads the set again; saving or deleting a user record forgets
that user's set. Nothing else is
cached: the user row itself is still read on every request, so a deactivated user or a
changed password takes effect at once.

The receivers write to the cache inside the change's transaction: when the cache cannot be
reached, the change fails (and is rolled back) rather than leave a stale set behind. So
``migrate`` (which syncs the roles) needs the cache too, as every page does.
"""

import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

GENERATION_KEY = "perms:generation"
# A set is read again after this long in any case (a bound on staleness should the cache
# ever come back with entries older than a change it missed).
TIMEOUT = 600


def _user_key(user_id):
    return f"perms:user:{user_id}"


def new_generation(**_kwargs):
    """Forget every cached permission set: after the transaction commits (so no request
    caches the old set in between), and at once (for changes outside a transaction)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None))


class CachedPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return super().get_all_permissions(user_obj, obj)
        if hasattr(user_obj, "_perm_cache"):
            return user_obj._perm_cache
        key = _user_key(user_obj.pk)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = uuid.uuid4().hex
            cache.add(GENERATION_KEY, generation, None)
            generation = cache.get(GENERATION_KEY, generation)
        cached = found.get(key)
        if cached is not None and cached[0] == generation and cached[1] == user_obj.is_superuser:
            user_obj._perm_cache = set(cached[2])
            return user_obj._perm_cache
        permissions = super().get_all_permissions(user_obj)
        # Stored under the generation read before the permissions were: a change committed
        # meanwhile has started a newer one, so this set is never taken for current.
        cache.set(key, (generation, user_obj.is_superuser, sorted(permissions)), TIMEOUT)
        return permissions


def forget_user(instance, **_kwargs):
    """A user record saved (signing in, a password, the superuser flag) or deleted: forget
    that user's set only."""
    key = _user_key(instance.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def connect():
    user_model = get_user_model()
    post_save.connect(forget_user, sender=user_model, dispatch_uid="perms-user-save")
    post_delete.connect(forget_user, sender=user_model, dispatch_uid="perms-user-delete")
    for model in (Group, Permission):
        post_save.connect(new_generation, sender=model, dispatch_uid=f"perms-save-{model}")
        post_delete.connect(new_generation, sender=model, dispatch_uid=f"perms-del-{model}")
    for through in (user_model.groups.through, user_model.user_permissions.through,
                    Group.permissions.through):
        m2m_changed.connect(new_generation, sender=through, dispatch_uid=f"perms-m2m-{through}")
    post_migrate.connect(new_generation, dispatch_uid="perms-migrate")

