"""Organizations and memberships (docs/domain.md "Organizations")."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import tracked


class Role(models.TextChoices):
    """The five roles of clause 5; a user holds them per organization."""

    ADMIN = "admin", _("Standardization administrator")
    OFFICE = "office", _("Standardization office staff")
    LEAD = "lead", _("Department lead")
    EXPERT = "expert", _("Expert")
    VIEWER = "viewer", _("Viewer")


# Administrative-division codes (GB/T 2260): six digits for a county or above, nine or
# twelve for a township or village.
DIVISION_CODE = RegexValidator(
    r"^\d{6}(\d{3}){0,2}$",
    _("An administrative-division code has 6, 9 or 12 digits (e.g. 652301)."))


class Organization(models.Model):
    """A unit that keeps its own standard system: the prefecture bureau, a county agency."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    code = models.CharField(_("administrative-division code"), max_length=12, unique=True,
                            validators=[DIVISION_CODE])
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent organization"))
    history = tracked()

    class Meta:
        ordering = ["code"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    def display_name(self, language):
        return self.name_en if language == "en" and self.name_en else self.name


class Membership(models.Model):
    """``user`` holds ``role`` in ``organization``: the role's permissions apply while the
    user acts in that organization, and nowhere else."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name=_("user"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="memberships",
                                     verbose_name=_("organization"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    history = tracked()

    class Meta:
        ordering = ["organization__code", "user__username", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"],
                                    name="organizations_membership_once"),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} · {self.get_role_display()}"
