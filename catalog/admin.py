"""Admin for the catalog. Every change made here asks for a reason, like the pages do."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.actions import DeleteInstance, SaveInstance
from audit.forms import ReasonField, SafeTextMixin
from catalog.actions.standards import owner_for
from catalog.models import Amendment, Citation, Standard, Supersession, Term


class AdminReasonForm(SafeTextMixin, forms.ModelForm):
    change_reason = ReasonField()


class ReasonAdmin(SimpleHistoryAdmin):
    """Saves and deletes through the actions the pages use (``SaveInstance``,
    ``DeleteInstance``): the object and its inlines get the form's reason and the admin user
    on their history rows, and the model permissions are checked again."""

    form = AdminReasonForm

    def save_model(self, request, obj, form, change):
        SaveInstance(request.user, obj, form.cleaned_data["change_reason"]).execute()

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data["change_reason"]
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            DeleteInstance(request.user, obj, reason).execute()
        for obj in instances:
            SaveInstance(request.user, obj, reason).execute()
        formset.save_m2m()

    def delete_model(self, request, obj):
        DeleteInstance(request.user, obj, _("Deleted in the administration")).execute()

    def delete_queryset(self, request, queryset):
        # The list's "delete selected": one action per record (each checks the permission
        # and stamps its history row), all or nothing.
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


class SupersessionInline(admin.TabularInline):
    model = Supersession
    fk_name = "new"
    autocomplete_fields = ["old"]
    extra = 0


class CitationInline(admin.TabularInline):
    model = Citation
    fk_name = "citing"
    autocomplete_fields = ["cited"]
    extra = 0


class AmendmentInline(admin.TabularInline):
    model = Amendment
    fields = ["sequence", "year", "issued_on", "implemented_on", "remarks"]
    extra = 0


@admin.register(Standard)
class StandardAdmin(ReasonAdmin):
    list_display = ["number", "title", "level", "issued_on", "implemented_on", "is_draft"]
    list_filter = ["level", "is_draft"]
    search_fields = ["number", "printed_number", "title", "title_en"]
    readonly_fields = ["code", "serial", "year", "level", "printed_number", "owner"]
    inlines = [SupersessionInline, CitationInline, AmendmentInline]

    def save_model(self, request, obj, form, change):
        # As on the pages: a new organization standard (Q/…) belongs to the organization
        # acted in. Another organization's is not in this list's queryset (a 404).
        if not change:
            obj.owner = owner_for(obj.number)
        SaveInstance(request.user, obj, form.cleaned_data["change_reason"]).execute()


@admin.register(Term)
class TermAdmin(ReasonAdmin):
    list_display = ["clause", "term", "term_en", "source_reference", "source_clause"]
    search_fields = ["term", "term_en", "definition"]
    autocomplete_fields = ["defined_in", "source"]
