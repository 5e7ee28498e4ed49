"""Which frozen draft a file someone holds is (clause 7.3.2): the exact bytes downloaded are
named with their project and stage; one byte changed and they match nothing; a Word file
changed after it was generated still says what it claims to be; another organization's
drafts are not revealed, whatever the file."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lifecycle.rules.proof import identify
from organizations.models import Organization
from organizations.rules import acting_in
from tests.drafts import frozen
from tests.drafts.frozen import generated
from tests.factories import UserFactory, default_organization, give_role
from tests.organizations.test_lifecycle_scope import login
from texts.models import DraftFile
from texts.rules.proof import claimed_draft, file_digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def commented(make_project, users):
    return frozen.commented(make_project, users)


def resaved(content):
    """The Word file opened, one paragraph added, and saved again, as a reader might."""
    document = docx.Document(io.BytesIO(content))
    document.add_paragraph("补充一句")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def one_byte_changed(content):
    return content[:-1] + bytes([content[-1] ^ 1])


def county():
    return Organization.objects.create(name="昌吉市社会保险中心", code="652301",
                                       parent=default_organization())


def test_the_downloaded_word_file_is_named_with_its_project_and_stage(commented, users):
    project, draft = commented
    content = generated(draft, "docx", users["office"])
    found = identify(content)
    assert found.found and found.sha256 == file_digest(content)
    [match] = found.matches
    assert (match.project, match.draft, match.draft.stage) == (project, draft, "comment")
    assert match.file == DraftFile.objects.get(draft=draft, format="docx")
    assert match.file.generated_by == users["office"]
    # The file names its draft in its core properties.
    assert claimed_draft(content) == draft.sha256


def test_the_downloaded_pdf_is_named_too(commented, users):
    project, draft = commented
    content = generated(draft, "pdf", users["lead"])
    [match] = identify(content).matches
    assert (match.project, match.file.format) == (project, "pdf")


def test_one_byte_changed_matches_nothing(commented, users):
    _project, draft = commented
    found = identify(one_byte_changed(generated(draft, "pdf", users["office"])))
    assert not found.found and found.claim is None
    # The Word file's last byte is its archive's: still readable, it says what it was.
    found = identify(one_byte_changed(generated(draft, "docx", users["office"])))
    assert not found.found and found.claim.draft == draft


def test_a_word_file_saved_again_says_what_it_claims_to_be(commented, users):
    project, draft = commented
    changed = resaved(generated(draft, "docx", users["office"]))
    found = identify(changed)
    assert not found.found
    assert (found.claim.project, found.claim.draft) == (project, draft)


def test_another_organization_s_draft_is_not_revealed(commented, users):
    _project, draft = commented
    content = generated(draft, "docx", users["office"])
    with acting_in(county()):
        assert not identify(content).found
        assert identify(resaved(content)).claim is None


# --- the page ----------------------------------------------------------------------------


def upload(content, name):
    return {"file": SimpleUploadedFile(name, content)}


def test_the_page_names_the_draft_of_a_file(commented, users, client_for):
    project, draft = commented
    content = generated(draft, "docx", users["office"])
    client = client_for("viewer")
    url = reverse("lifecycle:identify_document")
    assert client.get(url).status_code == 200
    page = client.post(url, upload(content, "任意名称.docx")).content.decode()
    assert 'id="match-' in page and project.title in page
    assert draft.sha256 in page and file_digest(content) in page
    changed = client.post(url, upload(resaved(content), "a.docx")).content.decode()
    assert 'id="no-match"' in changed and 'id="claim"' in changed
    assert project.title in changed


def test_the_page_checks_the_content_not_the_name(commented, client_for):
    client = client_for("viewer")
    page = client.post(reverse("lifecycle:identify_document"),
                       upload(b"just text", "draft.pdf")).content.decode()
    assert 'id="identification"' not in page and "has-error" in page


def test_the_page_reveals_nothing_of_another_organization(commented, users):
    project, draft = commented
    content = generated(draft, "docx", users["office"])
    outsider = give_role(UserFactory(username="office652301"), "office", county()).user
    client = login(Client(), outsider, outsider.memberships.get().organization)
    for sent in (content, resaved(content)):
        page = client.post(reverse("lifecycle:identify_document"),
                           upload(sent, "a.docx")).content.decode()
        assert 'id="no-match"' in page and project.title not in page
        assert 'id="claim"' not in page
