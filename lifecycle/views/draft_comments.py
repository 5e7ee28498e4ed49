"""A frozen draft read with its comments beside each element (clause 7.3.2), and, while the
comment period is open on it, a comment registered on one element: the user's own
(``SubmitComment``) or, by the office, a unit's (``SaveComment``). The clause number is
read from the draft, never typed. Who may read is who may read the project."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View

from audit.mixins import PermissionMixin
from lifecycle.actions.projects import SaveComment, SubmitComment
from lifecycle.choices import Stage
from lifecycle.forms.projects import CommentForm, OwnCommentForm
from lifecycle.models import Comment, Project
from lifecycle.rules.draft_comments import comment_draft, draft_places
from lifecycle.rules.projects import may_submit_comment
from lifecycle.views.generic import add_refusal
from lifecycle.views.projects import own_comment_initial
from texts.editor import document_reading
from texts.models import Draft
from texts.rules.structure import document_from_dict, number

ELEMENT = "lifecycle/drafts/_draft_element.html"


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


class DraftView(PermissionMixin, View):
    """GET: the draft; ``?comment=KEY`` opens the comment form on that element (htmx asks
    for the element alone). POST: a comment on the element ``part_key``."""

    permission_required = "lifecycle.view_project"

    def load(self, pk, draft):
        """The project (of the organization acted in) and its text's frozen draft."""
        self.project = get_object_or_404(Project.objects.select_related("text"), pk=pk)
        if self.project.text_id is None:
            raise Http404
        self.draft = get_object_or_404(Draft.objects.select_related("frozen_by"),
                                       pk=draft, text_id=self.project.text_id)
        self.document = document_from_dict(self.draft.content)
        self.numbering = number(self.document)
        self.reading = document_reading(self.document, self.numbering)
        self.places = draft_places(self.draft, self.document)

    # --- who comments -------------------------------------------------------------------

    @cached_property
    def writer(self):
        """The form of this user's comment here, or None. Only on the draft the comment
        period is on: the office records a unit's comment while the project is at the
        comment stage; anyone else who may see the project registers their own while the
        period is open (the actions check it again)."""
        if (self.project.stage != Stage.COMMENT or self.draft.stage != Draft.Stage.COMMENT
                or comment_draft(self.project) != self.draft):
            return None
        user = self.request.user
        if user.has_perm("lifecycle.add_comment"):
            return CommentForm
        if may_submit_comment(self.project, user):
            return OwnCommentForm
        return None

    def new_form(self, key, data=None):
        form_class = self.writer
        initial = {"part_key": key}
        if form_class is OwnCommentForm:
            initial.update(own_comment_initial(self.request.user))
        form = form_class(data, initial=initial, draft=self.draft, prefix="comment")
        # The element is the one the form stands under: chosen, not shown as a list.
        form.fields["part_key"].widget = form.fields["part_key"].hidden_widget()
        return form

    # --- what the page shows ------------------------------------------------------------

    def comments(self):
        """The project's comments on its drafts, by the key of the element they sit on."""
        found = {}
        for comment in (Comment.objects.filter(project=self.project, draft__isnull=False)
                        .select_related("commenter", "draft")):
            found.setdefault(comment.part_key or "", []).append(comment)
        return found

    def context(self, open_key="", form=None):
        may_comment = self.writer is not None
        blocks = self.reading
        by_key = self.comments()
        shown = set()
        for block in blocks:
            for element in block["elements"]:
                element["comments"] = by_key.get(element["key"], [])
                place = self.places.get(element["key"])
                element["cited"] = place.cited if place else ""
                shown.add(element["key"])
                if may_comment and element["key"] == open_key:
                    element["form"] = form or self.new_form(open_key)
        elsewhere = [c for key, comments in by_key.items() if key not in shown
                     for c in comments]
        return {
            "project": self.project, "draft": self.draft, "document": self.document,
            "reading": blocks, "numbering": self.numbering, "elsewhere": elsewhere,
            "page_url": reverse("lifecycle:project_draft",
                                args=[self.project.pk, self.draft.pk]),
            "may_comment": may_comment, "may_dispose": self.request.user.has_perm(
                "lifecycle.change_comment") and self.project.stage == Stage.COMMENT,
            "breadcrumbs": [(_("Projects"), reverse("lifecycle:project_list")),
                            (self.project.title, self.project.get_absolute_url()),
                            (self.draft.get_stage_display(), "")],
        }

    def show_element(self, key, form=None, saved=False):
        """One element with its comments (and its form while open): htmx's answer."""
        context = self.context(key, form)
        element = next((e for b in context["reading"] for e in b["elements"]
                        if e["key"] == key), None)
        if element is None:
            raise Http404
        return render(self.request, ELEMENT, {**context, "element": element, "saved": saved})

    def get(self, request, pk, draft):
        self.load(pk, draft)
        # The element whose comment form is open, for those who may comment.
        key = request.GET.get("comment", "") if self.writer else ""
        if key in self.places and is_htmx(request):
            return self.show_element(key)
        return render(request, "lifecycle/drafts/draft.html", self.context(key))

    # --- a comment ----------------------------------------------------------------------

    def post(self, request, pk, draft):
        self.load(pk, draft)
        if self.writer is None:
            raise PermissionDenied(_("Comments are submitted while the comment period "
                                     "is open."))
        key = request.POST.get("comment-part_key", "")
        if key not in self.places:
            # Not an element of this draft: there is no element to show the form under.
            messages.error(request, _("This part is not in the draft for comments."))
            return self.back()
        form = self.new_form(key, request.POST)
        if form.is_valid():
            try:
                # The office records a unit's comment; anyone else submits their own.
                action = SaveComment if self.writer is CommentForm else SubmitComment
                action(request.user, self.project, form.save(commit=False)).execute()
            except ValidationError as exc:
                add_refusal(form, exc)
            else:
                if is_htmx(request):
                    return self.show_element(key, saved=True)
                messages.success(request, _("Saved the comment."))
                return self.back(key)
        if is_htmx(request):
            return self.show_element(key, form)
        return render(request, "lifecycle/drafts/draft.html", self.context(key, form))

    def back(self, key=""):
        url = reverse("lifecycle:project_draft", args=[self.project.pk, self.draft.pk])
        url += f"#part-{key}" if key else ""
        if is_htmx(self.request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
