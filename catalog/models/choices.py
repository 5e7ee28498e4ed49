"""Every enumeration of the catalog, with its label and badge colour, in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.rules import numbers


class Level(models.TextChoices):
    """级别: who issued the standard; follows from the number's code."""

    NATIONAL = numbers.NATIONAL, _("National")
    INDUSTRY = numbers.INDUSTRY, _("Industry")
    LOCAL = numbers.LOCAL, _("Local")
    GROUP = numbers.GROUP, _("Group")
    ORGANIZATION = numbers.ORGANIZATION, _("Organization")
    INTERNATIONAL = numbers.INTERNATIONAL, _("International")
    FOREIGN = numbers.FOREIGN, _("Foreign")


class AdoptionDegree(models.TextChoices):
    """采用程度 of an international standard (GB/T 20000.2): identical, modified, not equivalent."""

    IDENTICAL = "IDT", _("Identical (IDT)")
    MODIFIED = "MOD", _("Modified (MOD)")
    NOT_EQUIVALENT = "NEQ", _("Not equivalent (NEQ)")


class Status(models.TextChoices):
    """状态: follows from dates and supersession (see ``StandardQuerySet.with_status``)."""

    CURRENT = "current", _("Current")
    UPCOMING = "upcoming", _("Upcoming")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    IN_DEVELOPMENT = "in_development", _("In development")


# Statuses under which a placed standard closes the gap of its aspect.
IN_FORCE = (Status.CURRENT,)
