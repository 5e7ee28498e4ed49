"""Forms of the work rules and yearly plan pages (clause 5.3)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.forms import DateInput, ReasonField, ReasonFormMixin, SafeTextMixin
from lifecycle.models import PlanItem, Project, WorkRule, YearPlan
from lifecycle.rules.files import detect_format
from lifecycle.rules.work import (
    check_rule_dates,
    check_target,
    check_year_free,
    default_rules_node,
    plannable_projects,
)
from registry.forms.tree import NodeChoiceField
from registry.models import Node


class RuleForm(SafeTextMixin, ReasonFormMixin, forms.ModelForm):
    node = NodeChoiceField(
        label=_("Node"), queryset=Node.objects.order_by("path"),
        help_text=_("Usually 标准化导则 (6.3.1.2) of the base standards."),
    )
    upload = forms.FileField(
        label=_("File"), required=False,
        help_text=_("Optional. PDF, DOC, DOCX, XLSX or OFD, up to 50 MB. A new file "
                    "replaces the current one."),
    )
    reason = ReasonField()

    class Meta:
        model = WorkRule
        fields = ["title", "reference", "node", "effective_on", "repealed_on", "summary"]
        widgets = {"effective_on": DateInput(),
                   "repealed_on": DateInput(),
                   "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.drop_reason_when_adding()
        if not self.instance.pk:
            self.fields["node"].initial = default_rules_node()

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            # By its content: ValidationError for a bad file.
            self.instance.attach(upload, detect_format(upload))
        return upload

    def clean(self):
        cleaned = super().clean()
        try:
            check_rule_dates(cleaned.get("effective_on"), cleaned.get("repealed_on"))
        except ValidationError as exc:
            self.add_error("repealed_on", exc)
        return cleaned


class PlanForm(SafeTextMixin, ReasonFormMixin, forms.ModelForm):
    """The year is set when the plan is added; its items' dates depend on it."""

    reason = ReasonField()

    class Meta:
        model = YearPlan
        fields = ["year", "title", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.drop_reason_when_adding()
        if self.instance.pk:
            del self.fields["year"]
        else:
            self.fields["year"].min_value = 2000
            self.fields["year"].widget.attrs.update(min=2000, max=2100)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Give a year between 2000 and 2100."))
        check_year_free(year)
        return year


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.iso_code} {obj.get_stage_display()})"


class PlanItemForm(SafeTextMixin, ReasonFormMixin, forms.ModelForm):
    project = ProjectChoiceField(
        label=_("Project"), required=False, queryset=Project.objects.none(),
        help_text=_("An open project, or one opened this year or last year. Leave empty "
                    "for a standard still to be proposed, and give its title and node."),
    )
    title = forms.CharField(label=_("Title"), max_length=255, required=False,
                            help_text=_("Taken from the project when left empty."))
    node = NodeChoiceField(label=_("Node"), required=False,
                           queryset=Node.objects.order_by("path"),
                           help_text=_("Taken from the project when left empty."))
    reason = ReasonField()

    class Meta:
        model = PlanItem
        fields = ["project", "title", "node", "target_on", "notes"]
        widgets = {"target_on": DateInput(),
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        projects = plannable_projects(plan.year)
        if self.instance.project_id:
            projects = Project.objects.filter(
                Q(pk__in=projects.values("pk")) | Q(pk=self.instance.project_id)
            ).select_related("node").order_by("title", "pk")
        self.fields["project"].queryset = projects
        self.fields["target_on"].help_text = _("Within %(year)s.") % {"year": plan.year}
        self.drop_reason_when_adding()

    def clean_target_on(self):
        target_on = self.cleaned_data["target_on"]
        check_target(self.plan, target_on)
        return target_on

    def clean(self):
        cleaned = super().clean()
        project = cleaned.get("project")
        if project is None:
            if not cleaned.get("title"):
                self.add_error("title", _("Without a project, give the title of the "
                                          "standard to be proposed."))
            if cleaned.get("node") is None and "node" not in self.errors:
                self.add_error("node", _("Without a project, give the node of the standard "
                                         "to be proposed."))
        elif self.plan.items.filter(project=project).exclude(pk=self.instance.pk).exists():
            self.add_error("project", _("This project is already in the plan."))
        else:
            cleaned["title"] = cleaned.get("title") or project.title
            if "node" not in self.errors:
                cleaned["node"] = cleaned.get("node") or project.node
        return cleaned
