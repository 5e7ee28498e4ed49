from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.actions import SaveInstance
from catalog.admin import AdminReasonForm, ReasonAdmin
from lifecycle.actions import in_organization
from lifecycle.actions.evaluation import CopyEvaluationTemplate, SetDefaultTemplate
from lifecycle.models import Criterion, Department, EvaluationTemplate


class InOrganizationAdmin(ReasonAdmin):
    """Records of the organization acted in (their default manager reads no other); a new
    one belongs to it. The organization is not a field: it cannot be chosen here."""

    exclude = ["organization"]

    def save_model(self, request, obj, form, change):
        in_organization(obj)
        SaveInstance(request.user, obj, form.cleaned_data["change_reason"]).execute()


@admin.register(Department)
class DepartmentAdmin(InOrganizationAdmin):
    """Departments and their leads (who approve their organization-level projects)."""

    list_display = ["name", "lead"]
    search_fields = ["name"]


# --- clause 8.2: evaluation templates (admins only) ---------------------------------------

def template_in_use(template):
    """Evaluations were made with ``template``: its criteria and threshold stay as they were
    scored with."""
    return template is not None and template.pk is not None and template.evaluations.exists()


class CriterionInline(admin.TabularInline):
    """A template's criteria. Once evaluations use the template they are read-only, so every
    evaluation keeps the criteria and weights it was scored with: copy the template to
    change them."""

    model = Criterion
    extra = 0
    fields = ["position", "name", "weight", "guidance"]

    @staticmethod
    def _in_use(obj):
        return template_in_use(obj)

    def has_add_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_delete_permission(request, obj)


class EvaluationTemplateForm(AdminReasonForm):
    make_default = forms.BooleanField(
        label=_("Use for new evaluations"), required=False,
        help_text=_("Makes this the default template; the previous default stops being it. "
                    "Evaluations already made keep their own template and scores."),
    )


@admin.register(EvaluationTemplate)
class EvaluationTemplateAdmin(InOrganizationAdmin):
    """Weighted criteria for evaluating implementation. The default template is used for
    new evaluations; only admins change templates. Once evaluations use a template, its
    threshold is read-only like its criteria (changing it would rewrite whether past
    evaluations met it): copy the template to change it."""

    form = EvaluationTemplateForm
    exclude = ["is_default", "organization"]
    readonly_fields = ["is_default"]
    list_display = ["name", "is_default", "threshold"]
    inlines = [CriterionInline]
    actions = ["copy_templates"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if template_in_use(obj):
            fields.append("threshold")
        return fields

    def save_model(self, request, obj, form, change):
        in_organization(obj)
        with transaction.atomic():
            if form.cleaned_data.get("make_default") and not obj.is_default:
                SetDefaultTemplate(request.user, obj,
                                    form.cleaned_data["change_reason"]).execute()
            super().save_model(request, obj, form, change)

    @admin.action(description=_("Copy the selected templates with their criteria"))
    def copy_templates(self, request, queryset):
        with transaction.atomic():
            for template in queryset.prefetch_related("criteria"):
                copy = CopyEvaluationTemplate(request.user, template).execute()
                self.message_user(request, _("Copied %(name)s as %(copy)s: change its "
                                             "criteria, then use it for new evaluations.")
                                  % {"name": template.name, "copy": copy.name})
