"""The drafts of clause 7.3.2 stand on a project (tests/lifecycle) and its text
(tests/texts): their fixtures, here too."""

from tests.lifecycle.conftest import department, make_project, media_root  # noqa: F401
from tests.texts.conftest import make_docx  # noqa: F401
