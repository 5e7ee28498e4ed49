"""Forms of the lifecycle pages; each transition that needs data has its form."""

from django import forms
from django.conf import settings
from django.db.models import BLANK_CHOICE_DASH
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.forms import (
    DateInput,
    ReasonField,
    SafeTextMixin,
    UserChoiceField,
    UserMultipleChoiceField,
)
from catalog.models import Standard
from catalog.rules.numbers import StandardNumberError, parse_standard_number
from lifecycle.choices import (
    DocumentKind,
    PeriodicConclusion,
    ProjectKind,
    ProjectLevel,
    ReviewConclusion,
)
from lifecycle.models import Comment, Department, ImplementationPlan, Objection, Project
from lifecycle.rules.draft_comments import element_choices
from lifecycle.rules.files import detect_format
from lifecycle.rules.projects import (
    REVISION_LEVELS,
    project_problems,
    revision_department,
    revision_level,
    revision_problems,
)
from organizations.rules import members
from organizations.scoping import colleagues
from registry.forms.tree import NodeChoiceField
from registry.models import Node
from registry.rules.roles import EXPERT


class ProjectForm(SafeTextMixin, forms.ModelForm):
    node = NodeChoiceField(label=_("Node"), queryset=Node.objects.order_by("path"))
    leader = UserChoiceField(label=_("Project leader"), queryset=colleagues())
    members = UserMultipleChoiceField(label=_("Members"), queryset=colleagues(),
                                      required=False, widget=forms.CheckboxSelectMultiple)
    revises = forms.ModelChoiceField(
        label=_("Standard revised"), required=False,
        queryset=Standard.objects.order_by("number"),
        help_text=_("Only for a revision: the published standard it revises."),
    )
    reason = ReasonField(required=False)

    class Meta:
        model = Project
        fields = ["title", "kind", "level", "node", "revises", "department", "leader",
                  "members", "planned_start", "planned_end"]
        widgets = {"planned_start": DateInput(),
                   "planned_end": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()
        if self.instance.pk:
            self.fields["members"].initial = [m.user for m in self.instance.members.all()]
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]  # opening a project is its own reason

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ProjectKind.REVISION and not cleaned.get("revises"):
            self.add_error("revises", _("A revision must name the standard it revises."))
        if cleaned.get("kind") == ProjectKind.NEW:
            cleaned["revises"] = None
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        for field, message in project_problems(self.instance).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)


class DocumentForm(SafeTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOC, DOCX, XLSX or OFD, up to "
                                                         "50 MB."))

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:  # an expert: only the documents of the review
            self.fields["kind"].choices = [(k, DocumentKind(k).label) for k in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.cleaned_data["file_format"] = detect_format(upload)
        return upload


class OnDraftMixin:
    """With ``draft`` (the project's frozen 征求意见稿) the comment sits on one of its
    elements, chosen by number and first words in place of the typed clause: the action
    reads the clause from the draft (clause 7.3.2). Without, the clause is typed, as for
    a project drafted outside the registry."""

    def __init__(self, *args, draft=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        if draft is None:
            return
        self.fields["part_key"] = forms.ChoiceField(
            label=_("Clause"), required=False,
            choices=[("", _("The draft as a whole")), *element_choices(draft)],
            error_messages={"invalid_choice": _("This part is not in the draft for comments.")})
        if self.instance.part_key:
            self.initial.setdefault("part_key", self.instance.part_key)
        # Where the typed clause stood.
        del self.fields["clause"]
        self.order_fields(["part_key" if name == "clause" else name
                           for name in self._meta.fields])

    def save(self, commit=True):
        if self.draft is not None:
            self.instance.draft = self.draft
            self.instance.part_key = self.cleaned_data.get("part_key") or None
        return super().save(commit)


class CommentForm(OnDraftMixin, SafeTextMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["unit", "clause", "content", "suggestion", "received_on", "disposition",
                  "disposition_reason", "note"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3}),
                   "suggestion": forms.Textarea(attrs={"rows": 2}),
                   "disposition_reason": forms.Textarea(attrs={"rows": 2}),
                   "received_on": DateInput()}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("disposition") and not cleaned.get("disposition_reason"):
            self.add_error("disposition_reason", _("A disposition needs its reason."))
        return cleaned


class OwnCommentForm(OnDraftMixin, SafeTextMixin, forms.ModelForm):
    """A user's own comment: what they say and for which unit; the office disposes."""

    class Meta:
        model = Comment
        fields = ["unit", "clause", "content", "suggestion"]
        widgets = {"content": forms.Textarea(attrs={"rows": 4}),
                   "suggestion": forms.Textarea(attrs={"rows": 3})}


class ObjectionForm(SafeTextMixin, forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["raised_by", "content", "resolution"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3}),
                   "resolution": forms.Textarea(attrs={"rows": 2})}


class ReviewersForm(SafeTextMixin, forms.Form):
    experts = UserMultipleChoiceField(
        label=_("Experts"), queryset=colleagues().none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The experts of the organization acted in.
        self.fields["experts"].queryset = colleagues().filter(pk__in=members(EXPERT))


# --- transitions -----------------------------------------------------------------------


class TransitionForm(SafeTextMixin, forms.Form):
    """Every transition asks why; some also ask for data."""

    expected_stage = forms.CharField(widget=forms.HiddenInput)
    reason = ReasonField(label=_("Reason or comment"), max_length=500, help_text="",
                         widget=forms.Textarea(attrs={"rows": 2}))

    def transition_data(self):
        return {k: v for k, v in self.cleaned_data.items()
                if k not in ("reason", "expected_stage")}


class CommentPeriodForm(TransitionForm):
    starts_on = forms.DateField(label=_("Comment period starts"), widget=DateInput,
                                initial=timezone.localdate)
    days = forms.IntegerField(label=_("Length in days"), min_value=1, max_value=365,
                              initial=lambda: settings.REGISTRY_COMMENT_PERIOD_DAYS,
                              help_text=_("The office can close the period from its last "
                                          "day on, once every comment has a disposition."))


class PassReviewForm(TransitionForm):
    conclusion = forms.ChoiceField(
        label=_("Conclusion"),
        choices=[(ReviewConclusion.PASSED, ReviewConclusion.PASSED.label),
                 (ReviewConclusion.PASSED_WITH_CHANGES,
                  ReviewConclusion.PASSED_WITH_CHANGES.label)],
    )


class NoticeForm(TransitionForm):
    starts_on = forms.DateField(label=_("Public notice starts"), widget=DateInput,
                                initial=timezone.localdate)


class PublishForm(TransitionForm):
    number = forms.CharField(label=_("Standard number"), max_length=64,
                             help_text=_("For example Q/CJSB 001-2026."))
    issued_on = forms.DateField(label=_("Issue date"), widget=DateInput)
    implemented_on = forms.DateField(label=_("Implementation date"), widget=DateInput)

    def clean_number(self):
        """Parsed here, once, for the whole way to the catalog: the transition, the action,
        the year rule and the timeline's payload use the parsed number. Text that does not
        parse goes on as typed: the action refuses it in its turn, after who may and
        when."""
        number = self.cleaned_data["number"]
        try:
            return parse_standard_number(number)
        except StandardNumberError:
            return number


TRANSITION_FORMS = {
    "open_comment_period": CommentPeriodForm,
    "pass_review": PassReviewForm,
    "start_public_notice": NoticeForm,
    "publish": PublishForm,
}


def transition_form(name, *args, **kwargs):
    return TRANSITION_FORMS.get(name, TransitionForm)(*args, **kwargs)


class ImplementationPlanForm(SafeTextMixin, forms.ModelForm):
    class Meta:
        model = ImplementationPlan
        fields = ["scope", "people", "schedule", "starts_on", "ends_on"]
        widgets = {"scope": forms.Textarea(attrs={"rows": 2}),
                   "people": forms.Textarea(attrs={"rows": 2}),
                   "schedule": forms.Textarea(attrs={"rows": 3}),
                   "starts_on": DateInput(),
                   "ends_on": DateInput()}


class RevisionChoicesMixin:
    """The department and the level of the revision project a form opens, chosen on the
    form; each is proposed only where there is no choice to make (the department of the
    project that published the standard or the only one there is; the only level a revision
    of its level may have: ``lifecycle.rules.projects.REVISION_LEVELS``)."""

    def add_revision_fields(self, standard, levels):
        """``standard``: the one revised, when known; ``levels``: those the form offers."""
        self.fields["department"] = forms.ModelChoiceField(
            label=_("Department of the revision"), required=False,
            queryset=Department.objects.order_by("name"),
            initial=revision_department(standard) if standard else None)
        self.fields["level"] = forms.ChoiceField(
            label=_("Level of the revision project"), required=False,
            choices=[*BLANK_CHOICE_DASH, *((level, ProjectLevel(level).label)
                                           for level in levels)],
            initial=revision_level(standard) if standard else None)

    def check_revision(self, standard):
        """Put on their fields what keeps the revision from being opened as chosen."""
        for field, message in revision_problems(standard, self.cleaned_data.get("department"),
                                                self.cleaned_data.get("level")).items():
            self.add_error(field, message)


class PeriodicReviewForm(RevisionChoicesMixin, SafeTextMixin, forms.Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=PeriodicConclusion.choices)
    reason = ReasonField(label=_("Reason"), max_length=None, help_text="",
                         widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, standard, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.add_revision_fields(standard, REVISION_LEVELS[standard.level])
        for name in ("department", "level"):
            self.fields[name].help_text = _("When the conclusion is to revise.")
        self.order_fields(["conclusion", "department", "level", "reason"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("conclusion") == PeriodicConclusion.REVISE:
            self.check_revision(self.standard)
        return cleaned
