"""Comments that sit on the elements of the frozen 征求意见稿 (clause 7.3.2): the draft they
sit on, the elements offered, and where each comment stands once the 送审稿 is frozen —
the 意见汇总处理表 and the project page print it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from lifecycle.rules.drafts import latest_draft
from texts.models import Draft
from texts.rules.places import Place, places
from texts.rules.structure import document_from_dict


def comment_draft(project):
    """The draft comments are made on: the project's latest 征求意见稿, or None for a
    project drafted outside the registry (its comments keep a typed clause)."""
    return latest_draft(project, Draft.Stage.COMMENT)


def draft_places(draft, document=None) -> dict[str, Place]:
    """Where each element of a frozen draft stands, read once per draft object (from
    ``document`` when the caller has read the draft already)."""
    if not hasattr(draft, "_places"):
        draft._places = places(document or document_from_dict(draft.content))
    return draft._places


def element_choices(draft) -> list[tuple[str, str]]:
    """The elements a comment may sit on, by number and first words: "5.2 注1 报送…"."""
    return [(key, f"{place.cited} {place.excerpt}".strip())
            for key, place in draft_places(draft).items()]


@dataclass
class Sitting:
    """Where a comment stands: ``clause`` as the table prints it (the number in the
    征求意见稿), ``later`` what became of it in the 送审稿 ("" when nothing changed or
    none is frozen yet), ``url`` the element on the draft's page ("" for a typed clause).
    A comment on the draft as a whole has no clause."""

    clause: str
    later: str = ""
    url: str = ""

    def __str__(self):
        return "\n".join(line for line in (self.clause, self.later) if line)


def sittings(project, comments) -> list:
    """``comments`` with ``sitting`` (a ``Sitting``) set on each. The 送审稿 is read only
    when a comment sits on an element and it was frozen after that comment's draft."""
    comments = list(comments)
    review = None
    if any(comment.part_key for comment in comments):
        review = latest_draft(project, Draft.Stage.REVIEW)
    later_places = draft_places(review) if review is not None else {}
    for comment in comments:
        sitting = Sitting(comment.clause)
        if comment.draft_id is not None:
            sitting.url = reverse("lifecycle:project_draft",
                                  args=[project.pk, comment.draft_id])
        if comment.draft_id is not None and comment.part_key:
            sitting.url += f"#part-{comment.part_key}"
            # A 送审稿 frozen after the comment's draft (drafts are numbered as frozen).
            if review is not None and review.pk > comment.draft_id:
                now = later_places.get(comment.part_key)
                if now is None:
                    sitting.later = _("Removed in the draft for review")
                elif now.cited != comment.clause:
                    sitting.later = _("now %(number)s in the draft for review") % {
                        "number": now.cited}
        comment.sitting = sitting
    return comments
