"""The accounts area's writes: the account pages' changes as actions (a second factor
enrolled, new recovery codes, the second factor removed, a new password, a wrong
second-factor code logged, the security log's expired records deleted), and the security
events in the audit log: sign-in, password change, role change and second-factor change,
each one ``LogEntry`` about the user it concerns, chained like every entry, written by the
receivers below whoever makes the change (a page, a reset link, /admin/, the shell).

Failed sign-ins and lockouts are not written to the audit log: django-axes records them
(its access failure log, read by ``registry.rules.accounts``), where they expire and only
administrators read them."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalRecords

from audit.actions import Action, ActionError
from audit.mixins import AUTH_TIME_SESSION_KEY
from audit.models import LogAction, LogEntry
from audit.tokens import RevokeTokensOfUser
from organizations.models import Membership
from registry.rules.accounts import client_address, refresh_state, second_factor_required
from registry.rules.roles import ROLE_PERMISSIONS

RECOVERY_CODES = 10


# --- the account pages' writes ------------------------------------------------------------

class OwnAccountAction(Action):
    """A change a signed-in user makes to their own sign-in: being that user is the
    permission, and the change is its own reason."""

    reason_required = False

    def has_permission(self):
        return self.user is not None and self.user.is_authenticated


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes")
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


class StartEnrolment(OwnAccountAction):
    """The authenticator being enrolled: unconfirmed until the user enters a first code
    (``AddSecondFactor``). Returns it, made now or kept from an earlier visit."""


    def _execute(self):
        device = TOTPDevice.objects.filter(user=self.user, confirmed=False).first()
        return device or TOTPDevice.objects.create(user=self.user, name="authenticator",
                                                   confirmed=False)


class AddSecondFactor(OwnAccountAction):
    """Confirm the authenticator being enrolled (its first code was right), replacing any
    earlier one, and make new recovery codes. Returns the codes, to be shown once."""


    def __init__(self, user, device):
        super().__init__(user)
        self.device = device

    def _execute(self):
        TOTPDevice.objects.filter(user=self.user, confirmed=True).exclude(
            pk=self.device.pk).delete()
        self.device.confirmed = True
        self.device.save()
        return _new_recovery_codes(self.user)


class ChangeRecoveryCodes(OwnAccountAction):
    """New recovery codes; the old ones stop working. Returns the new ones."""


    def _execute(self):
        return _new_recovery_codes(self.user)


class DeleteSecondFactor(OwnAccountAction):
    """Remove the user's second factor (authenticator and recovery codes): only where it is
    optional."""


    def check(self):
        super().check()
        if second_factor_required(self.user):
            raise ActionError(_("Administrators must keep a second factor."))

    def _execute(self):
        TOTPDevice.objects.filter(user=self.user).delete()
        StaticDevice.objects.filter(user=self.user).delete()


class ChangePassword(Action):
    """A new password for ``account``, set by its own user: on the password change page
    (signed in) or through a reset link (which proved who they are). The receivers below log
    it and revoke the API tokens made under the old one."""

    reason_required = False

    def __init__(self, user, account, password):
        super().__init__(user)
        self.account = account
        self.password = password

    def has_permission(self):
        return self.user is not None and self.user.pk == self.account.pk

    def _execute(self):
        self.account.set_password(self.password)
        self.account.save()
        return self.account


class SaveUser(Action):
    """Add or change a user account in the administration (its groups, the roles, with it
    when ``form`` is given). Users are not in the chained history: the receivers below write
    what changed (roles, groups, password) to the audit log, in ``user``'s name."""

    reason_required = False

    def __init__(self, user, account, form=None):
        super().__init__(user)
        self.account, self.form = account, form
        self.permission = "auth.change_user" if account.pk else "auth.add_user"

    def _execute(self):
        self.account.save()
        if self.form is not None:
            self.form.save_m2m()
        return self.account


class SetUserPassword(Action):
    """An administrator sets ``account``'s password (the administration's password page); the
    receivers log it and revoke the API tokens made under the old one."""

    permission = "auth.change_user"
    reason_required = False

    def __init__(self, user, account, password):
        super().__init__(user)
        self.account, self.password = account, password

    def _execute(self):
        self.account.set_password(self.password)
        self.account.save()
        return self.account


class SetRolePermissions(Action):
    """Create the role groups and give each exactly the permissions ``ROLE_PERMISSIONS``
    lists. Run after every migrate and by ``create_demo_users``: the table in
    ``registry.rules.roles`` is its authority, so it needs no user or permission."""

    reason_required = False

    def __init__(self):
        super().__init__(None)

    def has_permission(self):
        return True  # see the docstring

    def _execute(self):
        for role, permissions in ROLE_PERMISSIONS.items():
            group, _created = Group.objects.get_or_create(name=role)
            group.permissions.set(permissions())


def sync_roles(**kwargs):
    """The ``post_migrate`` receiver: the roles follow the permission table."""
    SetRolePermissions().execute()


class AddSignInFailure(Action):
    """A failure django-axes does not see (a wrong second-factor code after the right
    password): into its failure log too, without counting towards the lockout. ``user`` is
    the one whose code was wrong."""

    reason_required = False

    def __init__(self, user, request):
        super().__init__(user)
        self.request = request

    def _execute(self):
        request = self.request
        return AccessFailureLog.objects.create(
            username=self.user.get_username(), ip_address=client_address(request) or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
            http_accept=request.META.get("HTTP_ACCEPT", "")[:1025],
            path_info=request.path_info[:255], locked_out=False)  # as axes stores it


class DeleteExpiredSecurityLog(Action):
    """Delete the security log's records older than ``days`` (``REGISTRY_SECURITY_LOG_DAYS``):
    failures and sign-ins; lockout counters as soon as their cool-off has passed. Returns
    ``{record kind: number deleted}``.

    Run daily by beat and by ``purge_security_log``: the retention setting is its authority,
    so it needs no user or permission."""

    reason_required = False

    def __init__(self, days=None, now=None):
        super().__init__(None)
        self.days = settings.REGISTRY_SECURITY_LOG_DAYS if days is None else days
        self.now = now or timezone.now()

    def has_permission(self):
        return True  # no user: see the docstring

    def _execute(self):
        limit = self.now - timedelta(days=self.days)
        return {
            "failures": AccessFailureLog.objects.filter(attempt_time__lt=limit).delete()[0],
            "sign_ins": AccessLog.objects.filter(attempt_time__lt=limit).delete()[0],
            "counters": AccessAttempt.objects.filter(
                attempt_time__lt=self.now - settings.AXES_COOLOFF_TIME).delete()[0],
        }


# --- security events in the audit log -----------------------------------------------------

User = get_user_model()


def acting_user():
    """Who is making the current request (a role changed in /admin/ is logged as the
    administrator's act); None in a command."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def log_event(action, subject, actor=None, reason=""):
    """One audit-log line about the user ``subject``."""
    LogEntry.objects.create(
        timestamp=timezone.now(),
        user=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(User),
        object_id=subject.pk,
        object_repr=subject.get_username()[:255],
        reason=reason,
        history_id=0,
    )


@receiver(user_logged_in, dispatch_uid="accounts.signed_in")
def signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # The moment of the password, for re-authentication before sensitive pages.
        request.session[AUTH_TIME_SESSION_KEY] = int(timezone.now().timestamp())
        refresh_state(request, user)
    log_event(LogAction.SIGNED_IN, user, actor=user,
              reason=_("from %(address)s") % {"address": client_address(request)})


# --- password and role changes, whoever makes them (own page, reset, /admin/, shell) ------

ROLE_FIELDS = ("is_superuser", "is_staff", "is_active")


@receiver(pre_save, sender=User, dispatch_uid="accounts.user_before")
def remember_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields and set(update_fields) <= {"last_login"}):
        return
    before = User.objects.filter(pk=instance.pk).values("password", *ROLE_FIELDS).first()
    instance._security_before = before


def password_changed(instance, before, update_fields):
    """Whether this save changed the password. Not when Django re-hashes an unchanged
    password at sign-in (a stronger hasher or more iterations): it saves the password
    field alone and, unlike ``set_password``, leaves no raw password behind."""
    if before["password"] == instance.password:
        return False
    rehash = (update_fields is not None and set(update_fields) == {"password"}
              and getattr(instance, "_password", None) is None)
    return not rehash


@receiver(post_save, sender=User, dispatch_uid="accounts.user_after")
def log_user_changes(sender, instance, created, raw=False, update_fields=None, **kwargs):
    before = getattr(instance, "_security_before", None)
    instance._security_before = None
    if raw or created or before is None:
        return
    actor = acting_user() or None
    if password_changed(instance, before, update_fields):
        log_event(LogAction.PASSWORD_CHANGED, instance, actor=actor or instance)
        # The API tokens made under the old password stop working with it; whoever changed
        # it (the user, an administrator, a reset link) is told how many.
        revoked = RevokeTokensOfUser(actor or instance, instance).execute()
        request = getattr(HistoricalRecords.context, "request", None)
        if revoked and request is not None:
            messages.info(request, ngettext(
                "%(count)d API token was revoked: it was made under the old password.",
                "%(count)d API tokens were revoked: they were made under the old password.",
                revoked) % {"count": revoked}, fail_silently=True)
    changed = [f"{field}: {before[field]} → {getattr(instance, field)}"
               for field in ROLE_FIELDS if before[field] != getattr(instance, field)]
    if changed:
        log_event(LogAction.ROLE_CHANGED, instance, actor=actor, reason="; ".join(changed))


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts.groups")
def log_group_changes(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    names = ", ".join(sorted(Group.objects.filter(pk__in=pk_set or ()).values_list(
        "name", flat=True)))
    if action == "post_clear":
        text = _("all roles removed")
    elif action == "post_add":
        text = _("roles added: %(names)s") % {"names": names}
    else:
        text = _("roles removed: %(names)s") % {"names": names}
    log_event(LogAction.ROLE_CHANGED, instance, actor=acting_user(), reason=text)


@receiver(post_save, sender=Membership, dispatch_uid="accounts.membership_saved")
def log_role_given(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        log_event(LogAction.ROLE_CHANGED, instance.user, actor=acting_user(),
                  reason=_("roles added: %(names)s") % {
                      "names": f"{instance.role} ({instance.organization.code})"})


@receiver(post_delete, sender=Membership, dispatch_uid="accounts.membership_deleted")
def log_role_taken(sender, instance, **kwargs):
    log_event(LogAction.ROLE_CHANGED, instance.user, actor=acting_user(),
              reason=_("roles removed: %(names)s") % {
                  "names": f"{instance.role} ({instance.organization.code})"})


# --- second factor ------------------------------------------------------------------------

@receiver(post_save, sender=TOTPDevice, dispatch_uid="accounts.totp_saved")
def totp_saved(sender, instance, created, raw=False, **kwargs):
    confirmed_now = instance.confirmed and getattr(instance, "_was_confirmed", True) is False
    if not raw and confirmed_now:
        log_event(LogAction.TWO_FACTOR_CHANGED, instance.user, actor=acting_user(),
                  reason=_("authenticator app enrolled"))


@receiver(pre_save, sender=TOTPDevice, dispatch_uid="accounts.totp_before")
def totp_before(sender, instance, raw=False, **kwargs):
    if instance.pk is None:
        instance._was_confirmed = False
    else:
        instance._was_confirmed = TOTPDevice.objects.filter(
            pk=instance.pk, confirmed=True).exists()


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="accounts.totp_deleted")
def totp_deleted(sender, instance, **kwargs):
    if instance.confirmed:
        log_event(LogAction.TWO_FACTOR_CHANGED, instance.user, actor=acting_user(),
                  reason=_("authenticator app removed"))


@receiver(post_save, sender=StaticDevice, dispatch_uid="accounts.codes_saved")
def recovery_codes_saved(sender, instance, created, raw=False, **kwargs):
    if not raw and created:
        log_event(LogAction.TWO_FACTOR_CHANGED, instance.user, actor=acting_user(),
                  reason=_("new recovery codes"))
