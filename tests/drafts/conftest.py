"""The drafts of clause 7.3.2 stand on a project (tests/lifecycle) and its text
(tests/texts): their fixtures, here too."""

import pytest

from tests.lifecycle.conftest import department, make_project, media_root  # noqa: F401
from tests.texts.conftest import fixture_lines, make_docx  # noqa: F401
from texts.rules.docx_import import read_docx


@pytest.fixture
def db6523(make_docx):  # noqa: F811 - make_docx is the fixture imported above
    """The structure of DB 6523/T 370-2023 as its Word file gives it."""
    document, _report = read_docx(make_docx(fixture_lines("db6523_t_370_2023.txt")))
    return document
