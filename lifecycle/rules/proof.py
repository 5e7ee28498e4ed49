"""Which frozen draft a file someone holds is (clause 7.3.2): its SHA-256 against the
digests of the Word and PDF files generated from the drafts (``DraftFile``), each kept and
served as the same bytes to everyone.

Only the drafts of the projects of the organization acted in are looked at
(``Project.objects``): a file of another organization's draft matches nothing here. A Word
file that matches nothing may still name the draft it was generated from in its core
properties (``texts.rules.proof.claimed_draft``): it was changed after it was generated."""

from dataclasses import dataclass, field

from lifecycle.models import Project
from texts.models import Draft, DraftFile
from texts.rules.proof import claimed_draft, file_digest

ZIP_HEAD = b"PK\x03\x04"


@dataclass
class Match:
    """A kept file with exactly these bytes, and the project whose draft it is."""

    file: DraftFile
    project: Project

    @property
    def draft(self) -> Draft:
        return self.file.draft


@dataclass
class Claim:
    """The draft a changed Word file says it was generated from."""

    draft: Draft
    project: Project


@dataclass
class Identification:
    sha256: str
    size: int
    matches: list[Match] = field(default_factory=list)
    claim: Claim | None = None

    @property
    def found(self) -> bool:
        return bool(self.matches)


def _projects_by_text(text_ids) -> dict[int, Project]:
    """The projects of the organization acted in whose texts are ``text_ids``."""
    return {project.text_id: project
            for project in Project.objects.filter(text_id__in=set(text_ids))}


def identify(content: bytes) -> Identification:
    """The frozen drafts ``content`` is a generated file of; if none, the draft a Word file
    claims to be."""
    digest = file_digest(content)
    found = Identification(sha256=digest, size=len(content))
    files = list(DraftFile.objects.filter(sha256=digest)
                 .select_related("draft__frozen_by", "generated_by")
                 .order_by("generated_at", "pk"))
    projects = _projects_by_text(kept.draft.text_id for kept in files)
    found.matches = [Match(kept, projects[kept.draft.text_id]) for kept in files
                     if kept.draft.text_id in projects]
    if found.matches or not content.startswith(ZIP_HEAD):
        return found
    claimed = claimed_draft(content)
    if claimed:
        drafts = list(Draft.objects.filter(sha256=claimed).select_related("frozen_by")
                      .order_by("-frozen_at", "-pk"))
        projects = _projects_by_text(draft.text_id for draft in drafts)
        found.claim = next((Claim(draft, projects[draft.text_id]) for draft in drafts
                            if draft.text_id in projects), None)
    return found
