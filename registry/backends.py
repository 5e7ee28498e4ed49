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
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from organizations.models import Membership, Organization, Role
from organizations.rules import current_organization, roles_in

GENERATION_KEY = "perms:generation"
# A set is read again after this long in any case (a bound on staleness should the cache
# ever come back with entries older than a change it missed).
TIMEOUT = 600


def _user_key(user_id, organization_id=None):
    return f"perms:user:{user_id}:{organization_id}"


def _stamp_key(user_id):
    return f"perms:user:{user_id}:stamp"


def new_generation(**_kwargs):
    """Forget every cached permission set: after the transaction commits (so no request
    caches the old set in between), and at once (for changes outside a transaction)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None))


class CachedPermissionsBackend(ModelBackend):
    """Permissions in the organization being acted in (``organizations.rules``): the user's
    own, their groups' other than the role groups, and the permissions of the roles they
    hold there. Kept per user and organization."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return super().get_all_permissions(user_obj, obj)
        organization = current_organization()
        organization_id = organization.pk if organization else None
        kept = user_obj.__dict__.setdefault("_perms_by_organization", {})
        if organization_id in kept:
            return kept[organization_id]
        key, stamp_key = _user_key(user_obj.pk, organization_id), _stamp_key(user_obj.pk)
        found = cache.get_many([GENERATION_KEY, stamp_key, key])
        generation = found.get(GENERATION_KEY)
        # The user's own stamp: changed when their record is saved (forget_user).
        stamp = found.get(stamp_key)
        if stamp is None:
            stamp = uuid.uuid4().hex
            cache.add(stamp_key, stamp, None)
            stamp = cache.get(stamp_key, stamp)
        generation = (generation, stamp) if generation else None
        if generation is None:
            generation = uuid.uuid4().hex
            cache.add(GENERATION_KEY, generation, None)
            generation = (cache.get(GENERATION_KEY, generation), stamp)
        cached = found.get(key)
        if cached is not None and cached[0] == generation and cached[1] == user_obj.is_superuser:
            kept[organization_id] = set(cached[2])
            return kept[organization_id]
        permissions = self._permissions(user_obj, organization)
        kept[organization_id] = permissions
        # Stored under the generation read before the permissions were: a change committed
        # meanwhile has started a newer one, so this set is never taken for current.
        cache.set(key, (generation, user_obj.is_superuser, sorted(permissions)), TIMEOUT)
        return permissions

    def _permissions(self, user_obj, organization):
        if user_obj.is_superuser:
            rows = Permission.objects.all()
        else:
            # A role group in user.groups would hold in every organization: only roles held
            # through memberships count.
            rows = Permission.objects.filter(
                Q(user=user_obj)
                | (Q(group__user=user_obj) & ~Q(group__name__in=Role.values))
                | Q(group__name__in=roles_in(user_obj, organization))).distinct()
        return {f"{app}.{codename}" for app, codename in
                rows.values_list("content_type__app_label", "codename")}


def forget_user(instance, **_kwargs):
    """A user record saved (signing in, a password, the superuser flag) or deleted: forget
    that user's set only."""
    # Kept per organization: a new stamp forgets all of that user's sets.
    key = _stamp_key(instance.pk)
    cache.set(key, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))


def connect():
    user_model = get_user_model()
    post_save.connect(forget_user, sender=user_model, dispatch_uid="perms-user-save")
    post_delete.connect(forget_user, sender=user_model, dispatch_uid="perms-user-delete")
    for model in (Group, Permission, Membership, Organization):
        post_save.connect(new_generation, sender=model, dispatch_uid=f"perms-save-{model}")
        post_delete.connect(new_generation, sender=model, dispatch_uid=f"perms-del-{model}")
    for through in (user_model.groups.through, user_model.user_permissions.through,
                    Group.permissions.through):
        m2m_changed.connect(new_generation, sender=through, dispatch_uid=f"perms-m2m-{through}")
    post_migrate.connect(new_generation, dispatch_uid="perms-migrate")

