from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TextsConfig(AppConfig):
    """A standard's text in the GB/T 1.1-2020 structure: the document, its numbering, the
    DOCX import and the drafting checks (clause 7.3.2: the drafts are written here).

    Above ``catalog`` (references point at catalog standards, found with its number parser)
    and beneath ``lifecycle`` (whose drafts will freeze a text). Only rules so far."""

    name = "texts"
    verbose_name = _("Standard texts")
