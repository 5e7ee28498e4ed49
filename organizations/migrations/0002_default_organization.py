"""The default organization (``REGISTRY_ORGANIZATION``), and every role a user held — a
Django group of the five roles — as a membership there. Roles are held per organization
from now on; the groups stay as the roles' permission sets."""

from django.conf import settings
from django.db import migrations

ROLES = ("admin", "office", "lead", "expert", "viewer")


def forwards(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    Membership = apps.get_model("organizations", "Membership")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    organization = (
        Organization.objects.filter(code=settings.REGISTRY_ORGANIZATION_CODE).first()
        or Organization.objects.create(name=settings.REGISTRY_ORGANIZATION,
                                       name_en=settings.REGISTRY_ORGANIZATION_EN,
                                       code=settings.REGISTRY_ORGANIZATION_CODE))
    Through = User.groups.through
    held = Through.objects.filter(group__name__in=ROLES).values_list("user_id", "group__name")
    Membership.objects.bulk_create(
        [Membership(user_id=user_id, organization=organization, role=role)
         for user_id, role in held], ignore_conflicts=True)
    Through.objects.filter(group__name__in=ROLES).delete()


def backwards(apps, schema_editor):
    Membership = apps.get_model("organizations", "Membership")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Through = User.groups.through
    groups = {g.name: g.pk for g in Group.objects.filter(name__in=ROLES)}
    Through.objects.bulk_create(
        [Through(user_id=m.user_id, group_id=groups[m.role])
         for m in Membership.objects.filter(role__in=groups)], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
