"""The parts of a text: clauses and annexes (the outline) and the elements inside them, one
row each, so that saving one element is one small write with its own history row and
version (audit.versions). Numbers are never stored: ``texts.rules.structure`` computes them
from ``section``, ``parent`` and ``position``."""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.history import tracked

from .texts import Text


def new_key():
    # Cross-references point at keys (texts.rules.structure): short, random, never reused.
    return secrets.token_hex(6)


def figure_path(instance, filename):
    # A random name: nothing the user typed reaches the file system.
    return f"texts/figures/{uuid.uuid4().hex}"


class Part(models.Model):
    class Section(models.TextChoices):
        FOREWORD = "foreword", _("Foreword")
        INTRODUCTION = "introduction", _("Introduction")
        BODY = "body", _("Clauses and annexes")
        BIBLIOGRAPHY = "bibliography", _("Bibliography")

    class Kind(models.TextChoices):
        # "text part": these words name parts of a standard's text (章, 条, 段, 注…),
        # not the registry's fields of the same English name.
        CLAUSE = "clause", pgettext_lazy("text part", "Clause")
        ANNEX = "annex", pgettext_lazy("text part", "Annex")
        PARAGRAPH = "paragraph", pgettext_lazy("text part", "Paragraph")
        LIST_ITEM = "list_item", pgettext_lazy("text part", "List item")
        NOTE = "note", pgettext_lazy("text part", "Note")
        EXAMPLE = "example", pgettext_lazy("text part", "Example")
        TABLE = "table", pgettext_lazy("text part", "Table")
        FIGURE = "figure", pgettext_lazy("text part", "Figure")
        FORMULA = "formula", pgettext_lazy("text part", "Formula")
        TERM = "term", pgettext_lazy("text part", "Term entry")

    OUTLINE_KINDS = (Kind.CLAUSE, Kind.ANNEX)

    text = models.ForeignKey(Text, on_delete=models.CASCADE, related_name="parts",
                             verbose_name=_("text"))
    section = models.CharField(_("section"), max_length=16, choices=Section.choices,
                               default=Section.BODY)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children", verbose_name=_("within"))
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=32, default=new_key, editable=False)
    # The clause's or annex's title, a table's or figure's title, a term entry's term.
    title = models.CharField(_("title"), max_length=500, blank=True)
    # The running text: a paragraph's, a list item's, a note's, an example's, a formula's,
    # a term entry's definition.
    body = models.TextField(_("text"), blank=True)
    # What one kind has beyond title and text: a list item's style and level, a table's
    # rows, an annex's normative flag, a term entry's admitted terms, English equivalent,
    # notes and source.
    data = models.JSONField(_("details"), default=dict, blank=True)
    image = models.FileField(_("image"), upload_to=figure_path, max_length=200, blank=True)
    history = tracked()

    class Meta:
        ordering = ["section", "parent_id", "position"]
        verbose_name = _("part of a text")
        verbose_name_plural = _("parts of texts")
        constraints = [
            models.UniqueConstraint(fields=["text", "key"], name="texts_part_key_unique"),
        ]
        indexes = [models.Index(fields=["text", "section", "parent", "position"])]

    def __str__(self):
        label = self.get_kind_display()
        shown = self.title or self.body[:40]
        return f"{label}: {shown}" if shown else str(label)

    @property
    def in_outline(self):
        return self.kind in self.OUTLINE_KINDS
