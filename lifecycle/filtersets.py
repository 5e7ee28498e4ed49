"""The filters of the lifecycle lists, one FilterSet per list (as NetBox keeps them:
never inside a view)."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.forms import DateInput, ValuesSelect, user_display
from audit.params import id_from
from catalog.models import Standard
from catalog.rules.numbers import StandardNumberError
from lifecycle.choices import (
    ActionStatus,
    CheckResult,
    InformationCategory,
    InformationStatus,
    ProjectLevel,
    StaffRole,
    Stage,
)
from lifecycle.models import (
    Department,
    Evaluation,
    ImplementationCheck,
    InformationItem,
    InformationNode,
    NonConformity,
    Project,
    WorkRule,
)
from lifecycle.rules.information import resolve_standard
from lifecycle.rules.organization import due_filter, role_filter
from lifecycle.rules.projects import overdue_projects_filter
from lifecycle.rules.supervision import overdue_filter
from lifecycle.rules.work import current_rule_filter, repealed_filter, upcoming_rule_filter
from registry.filtersets import organization_nodes
from registry.forms.tree import NodeChoiceField

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


# --- projects ---------------------------------------------------------------------------


class ProjectFilterSet(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(label=gettext_lazy("Stage"), choices=Stage.choices)
    level = django_filters.ChoiceFilter(label=gettext_lazy("Level"),
                                        choices=ProjectLevel.choices)
    department = django_filters.ModelChoiceFilter(label=gettext_lazy("Department"),
                                                  queryset=Department.objects.all())
    overdue = django_filters.ChoiceFilter(
        label=gettext_lazy("Overdue"), method="filter_overdue", empty_label=gettext_lazy("All"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
    )
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")

    class Meta:
        model = Project
        fields = ["stage", "level", "department", "overdue", "q"]

    def filter_overdue(self, queryset, name, value):
        overdue = overdue_projects_filter()
        return queryset.filter(overdue) if value == "yes" else queryset.exclude(overdue)

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(node__name__icontains=value)
                               | Q(node__code__icontains=value))


# --- organization -----------------------------------------------------------------------


class PeopleFilterSet(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Department"), field_name="staff_profiles__department",
        queryset=Department.objects.all(),
    )
    role = django_filters.ChoiceFilter(label=gettext_lazy("Standardization role"),
                                       choices=StaffRole.choices, method="filter_role")
    due = django_filters.ChoiceFilter(label=gettext_lazy("Due for training"), choices=YES_NO,
                                      empty_label=gettext_lazy("All"), method="filter_due")
    q = django_filters.CharFilter(label=gettext_lazy("Name"), method="search")

    class Meta:
        model = get_user_model()
        fields = ["department", "role", "due", "q"]

    def filter_role(self, queryset, name, value):
        return queryset.filter(role_filter(value))

    def filter_due(self, queryset, name, value):
        return queryset.filter(due_filter()) if value == "yes" else queryset.exclude(due_filter())

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(first_name__icontains=value)
                               | Q(last_name__icontains=value))


# --- work -------------------------------------------------------------------------------


class RuleFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), method="filter_status", empty_label=gettext_lazy("All"),
        choices=[("current", gettext_lazy("Current")),
                 ("upcoming", gettext_lazy("Upcoming")),
                 ("repealed", gettext_lazy("Repealed"))],
    )
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")

    class Meta:
        model = WorkRule
        fields = ["status", "q"]

    STATUS_FILTERS = {"current": current_rule_filter, "upcoming": upcoming_rule_filter,
                      "repealed": repealed_filter}

    def filter_status(self, queryset, name, value):
        """Current: in force today; upcoming: takes effect later; repealed: by today."""
        return queryset.filter(self.STATUS_FILTERS[value]())

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value)
                               | Q(summary__icontains=value))


# --- information ------------------------------------------------------------------------


class StandardReferenceField(forms.CharField):
    """A standard given by its id (links from other pages) or by its number as typed."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        if value.isascii() and value.isdigit():
            standard = Standard.objects.filter(pk=id_from(value)).first()
        else:
            try:
                standard = resolve_standard(value)
            except StandardNumberError as exc:
                raise ValidationError(str(exc)) from exc
        if standard is None:
            raise ValidationError(_("%(number)s is not in the catalog.") % {"number": value})
        return standard


class StandardReferenceFilter(django_filters.Filter):
    field_class = StandardReferenceField

    def filter(self, queryset, value):
        return queryset.filter(standards=value) if value else queryset


def node_label(depth, code, name):
    """As ``NodeChoiceField`` labels a node: indented by its depth."""
    return "\u3000" * (depth - 1) + f"{code} {name}"


class NodeSubtreeFilter(django_filters.ModelChoiceFilter):
    """Items concerning the node or any node below it (the materialised path prefix)."""

    field_class = NodeChoiceField

    def filter(self, queryset, value):
        if not value:
            return queryset
        below = InformationNode.objects.filter(item=OuterRef("pk"),
                                               node__path__startswith=value.path)
        return queryset.filter(Exists(below))


class InformationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")
    category = django_filters.ChoiceFilter(label=gettext_lazy("Category"),
                                           choices=InformationCategory.choices)
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"),
                                         choices=InformationStatus.choices)
    tag = django_filters.CharFilter(label=gettext_lazy("Tag"), method="filter_tag")
    node = NodeSubtreeFilter(label=gettext_lazy("Node"), queryset=organization_nodes,
                             widget=ValuesSelect(("depth", "code", "name"), label=node_label))
    # Typed as a number (links from other pages give the id); the label says which.
    standard = StandardReferenceFilter(label=gettext_lazy("Standard number"),
                                       widget=forms.TextInput)
    since = django_filters.DateFilter(label=gettext_lazy("From"), field_name="published_on",
                                      lookup_expr="gte",
                                      widget=DateInput())
    until = django_filters.DateFilter(label=gettext_lazy("To"), field_name="published_on",
                                      lookup_expr="lte",
                                      widget=DateInput())

    class Meta:
        model = InformationItem
        fields = ["q", "category", "status", "tag", "node", "standard", "since", "until"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value)
                               | Q(source__icontains=value) | Q(tags__icontains=value))

    def filter_tag(self, queryset, name, value):
        # Tags are stored "a,b,c": wrapped in commas, one exact tag is ",b,".
        tag = value.strip()
        if not tag:
            return queryset
        return (queryset.alias(tag_set=Concat(Value(","), F("tags"), Value(",")))
                .filter(tag_set__contains=f",{tag},"))


# --- supervision ------------------------------------------------------------------------


def standard_select():
    """Thousands of standards: options written from plain values (``ValuesSelect``)."""
    return ValuesSelect(("number", "title"))


class StandardFilter(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Standard.objects.order_by("code", "serial", "year"))
        kwargs.setdefault("widget", standard_select())
        super().__init__(*args, **kwargs)


class CheckFilterSet(django_filters.FilterSet):
    standard = StandardFilter(label=gettext_lazy("Standard"))
    department = django_filters.ModelChoiceFilter(label=gettext_lazy("Department"),
                                                  queryset=Department.objects.all())
    result = django_filters.ChoiceFilter(label=gettext_lazy("Result"),
                                         choices=CheckResult.choices)

    class Meta:
        model = ImplementationCheck
        fields = ["standard", "department", "result"]


class OwnerFilter(django_filters.ChoiceFilter):
    """``mine`` or a user's id."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=self.owners, **kwargs)

    @staticmethod
    def owners():
        users = (get_user_model().objects.filter(corrective_actions__isnull=False)
                 .distinct().order_by("username"))
        return [("mine", _("Mine"))] + [
            (str(user.pk), user_display(user)) for user in users]

    def filter(self, qs, value):
        if not value:
            return qs
        if value == "mine":
            return qs.filter(owner=self.parent.request.user)
        return qs.filter(owner_id=int(value))


class NonConformityFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"),
                                         choices=ActionStatus.choices,
                                         empty_label=gettext_lazy("All"))
    overdue = django_filters.ChoiceFilter(
        label=gettext_lazy("Overdue"), method="filter_overdue",
        empty_label=gettext_lazy("All"),
        choices=[("1", gettext_lazy("Overdue only")), ("0", gettext_lazy("Not yet due"))],
    )
    owner = OwnerFilter(label=gettext_lazy("Owner"), empty_label=gettext_lazy("Anyone"))

    class Meta:
        model = NonConformity
        fields = ["status", "overdue", "owner"]

    def filter_overdue(self, queryset, name, value):
        """``1``: open and past the due date; ``0``: open and due today or later."""
        return queryset.filter(overdue_filter(value == "1"))


# --- evaluation -------------------------------------------------------------------------


class EvaluationFilterSet(django_filters.FilterSet):
    standard = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Standard"),
        queryset=Standard.objects.order_by("code", "serial", "year"),
        widget=standard_select(),
    )

    class Meta:
        model = Evaluation
        fields = ["standard"]
