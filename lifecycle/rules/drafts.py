"""The versions of a project's text that can be read and compared (clause 7.3.2): the
edition in force (a revision of a standard whose text the registry holds), each frozen
draft in the order it was frozen, and the text as it stands now.

A version is named by a token the pages, the API and ``compare_drafts`` share: a frozen
draft's number, ``current`` for the text being edited, ``in-force`` for the edition in
force; the stage names (``comment``, ``review``, ``approval``, ``published``) name the
latest draft of that stage."""

from dataclasses import dataclass

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from catalog.rules.numbers import parse_standard_number
from registry.rules.documents import Built
from texts.actions import skeleton
from texts.models import Draft, Text
from texts.rules.compare import compare
from texts.rules.compare_docx import write_comparison_docx
from texts.rules.structure import Document, document_from_dict
from texts.storage import load

CURRENT = "current"
IN_FORCE = "in-force"


@dataclass
class Version:
    token: str
    label: str
    draft: Draft | None = None
    text: Text | None = None  # the live text read, for ``current`` and ``in-force``
    when: object = None

    @cached_property
    def document(self) -> Document:
        if self.draft is not None:
            return document_from_dict(self.draft.content)
        # Figures' bytes too: the comparison tells a replaced image.
        return load(self.text).document


def edition_in_force(project):
    """The readable text of the standard a revision revises, if the registry holds it."""
    if project.revises_id is None:
        return None
    return Text.objects.readable().filter(standard_id=project.revises_id).first()


def project_drafts(project):
    """The frozen drafts of the project's text, oldest first."""
    if project.text_id is None:
        return Draft.objects.none()
    return Draft.objects.filter(text_id=project.text_id).select_related("frozen_by")


def drafts_listed(project):
    """The project's frozen drafts, each with ``previous`` (the draft before it, or None),
    and what the project page offers to compare: ``{"in_force": …, "comment": …,
    "review": …}`` (the 送审稿 against the 征求意见稿, linked from the 意见汇总处理表)."""
    drafts = list(project_drafts(project))
    for before, draft in zip([None, *drafts], drafts, strict=False):
        draft.previous = before
    stages = {d.stage for d in drafts}
    info = {"in_force": edition_in_force(project) is not None,
            "comment": Draft.Stage.COMMENT in stages,
            "review": Draft.Stage.COMMENT in stages and Draft.Stage.REVIEW in stages}
    return drafts, info


def versions(project) -> list[Version]:
    """Every version of the project's text, oldest first."""
    found = []
    in_force = edition_in_force(project)
    if in_force is not None:
        found.append(Version(IN_FORCE, _("Edition in force: %(number)s")
                             % {"number": in_force.number or project.revises.number},
                             text=in_force))
    for draft in project_drafts(project):
        found.append(Version(str(draft.pk), draft.get_stage_display(), draft=draft,
                             when=draft.frozen_at))
    if project.text_id is not None:
        found.append(Version(CURRENT, _("Text as it stands now"), text=project.text))
    return found


def resolve(project, token) -> Version | None:
    """The version ``token`` names (see the module's docstring), or None."""
    token = str(token or "").strip()
    every = versions(project)
    stages = {stage.value for stage in Draft.Stage}
    if token in stages:
        named = [v for v in every if v.draft is not None and v.draft.stage == token]
        return named[-1] if named else None
    return next((v for v in every if v.token == token), None)


def latest_draft(project, stage):
    """The latest frozen draft of ``stage`` (``Draft.Stage``), or None."""
    return project_drafts(project).filter(stage=stage).order_by("-frozen_at", "-pk").first()


def default_pair(project):
    """What the differences page shows first: the latest draft against the one before it
    (the 送审稿 against the 征求意见稿), else the edition in force or the last draft against
    the text as it stands."""
    every = versions(project)
    drafts = [v for v in every if v.draft is not None]
    if len(drafts) >= 2:
        return drafts[-2], drafts[-1]
    if len(every) >= 2:
        return every[0], every[-1]
    return None


def first_document(project) -> Document:
    """What a new text starts from: for a revision of a standard whose text the registry
    holds, a copy of that text (the revision starts from the edition in force, keys and
    all, so the comparison with it holds from the first day); else the skeleton GB/T 1.1
    prescribes, titled as the project."""
    revised = project.revises
    published = edition_in_force(project)
    if published is not None:
        # The new edition: its year, dates and stage are still to come; it replaces the
        # edition in force (GB/T 1.1-2020 8.1.3).
        document = load(published).document
        document.number = parse_standard_number(revised.number).undated
        document.issued_on = document.implemented_on = None
        document.stage = "征求意见稿"
        document.replaces = f"代替 {revised.number}"
        return document
    return skeleton(number=revised.number if revised else "", title=project.title)


# --- the comparison as files, laid out by a worker (job documents on LifecycleConfig) ----


def _comparison(params, progress):
    # The worker acts in the organization the job was asked in: the project is scoped.
    from lifecycle.models import Project

    project = Project.objects.get(pk=params["project"])
    old, new = resolve(project, params["from"]), resolve(project, params["to"])
    if old is None or new is None:
        raise ValueError("a version of the comparison no longer exists")
    progress(0.2)
    heading = f"{project.title}：{old.label} → {new.label}"
    return project, old, new, compare(old.document, new.document), heading


def comparison_pdf(params, progress):
    """The job's builder: the differences between ``params["from"]`` and ``params["to"]``
    of the project ``params["project"]`` as a PDF."""
    from texts.rules.compare_pdf import write_comparison_pdf

    project, old, new, comparison, heading = _comparison(params, progress)
    content = write_comparison_pdf(comparison, str(old.label), str(new.label), heading)
    return Built(content, subject=f"{project.title} {old.label} → {new.label}")


def comparison_docx(params, progress):
    """The job's builder: the same differences as a Word file with tracked changes."""
    project, old, new, comparison, heading = _comparison(params, progress)
    content = write_comparison_docx(comparison, str(old.label), str(new.label), heading,
                                    author=str(_("Standard system registry")))
    return Built(content, subject=f"{project.title} {old.label} → {new.label}")
