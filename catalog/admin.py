from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from catalog.models import Citation, Standard, Supersession, Term


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


@admin.register(Standard)
class StandardAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "level", "issued_on", "implemented_on", "is_draft"]
    list_filter = ["level", "is_draft"]
    search_fields = ["number", "title", "title_en"]
    readonly_fields = ["code", "serial", "year", "level"]
    inlines = [SupersessionInline, CitationInline]


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["clause", "term", "term_en", "source_reference", "source_clause"]
    search_fields = ["term", "term_en", "definition"]
    autocomplete_fields = ["defined_in", "source"]
