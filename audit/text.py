"""Names and titles that look like what they are.

A right-to-left override (U+202E) makes "‮txt.exe" read as "exe.txt"; a zero-width joiner
makes two names that look the same differ. Names and titles refuse such characters and every
control character (a line break in a title would also end up in an e-mail header).
``protect_names_and_titles()`` puts the validator on the name and title fields of every
model of the domain apps (and the user's first and last name) when the apps are ready, so no
app needs a migration for it: validators are not part of the schema.
"""

import re
import unicodedata

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Bidirectional embeddings, overrides and isolates; marks; zero-width characters.
INVISIBLE = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]      # LRE RLE PDF LRO RLO
    + [chr(c) for c in range(0x2066, 0x206A)]    # LRI RLI FSI PDI
    + [chr(c) for c in range(0x200B, 0x2010)]    # ZWSP ZWNJ ZWJ LRM RLM
    + ["\u061c", "\u2060", "\ufeff", "\u00ad", "\u180e"]  # ALM, word joiner, BOM, soft hyphen
)


def _refused(character):
    return character in INVISIBLE or unicodedata.category(character) == "Cc"


def refuse_invisible_characters(value):
    """Validator: no control, bidirectional-override or zero-width character."""
    found = sorted({f"U+{ord(c):04X}" for c in str(value) if _refused(c)})
    if found:
        raise ValidationError(
            _("Remove the invisible or control characters (%(characters)s): they can make "
              "the text display differently from what it is."),
            code="invisible_characters", params={"characters": ", ".join(found)})


def single_line(text):
    """``text`` for an e-mail header: control and invisible characters become spaces, runs of
    spaces one space (a line break in data never reaches a header)."""
    cleaned = "".join(" " if _refused(c) or c in "\u2028\u2029" else c for c in str(text))
    return re.sub(r"\s+", " ", cleaned).strip()


NAME_FIELDS = re.compile(r"^(name|title|first_name|last_name)(_\w+)?$")


def protect_names_and_titles(**kwargs):
    """Add the validator to every name and title field of the domain apps and of the user."""
    labels = {config.label for config in apps.get_app_configs()
              if hasattr(config, "office_editable")} | {"auth"}
    for model in apps.get_models():
        if model._meta.app_label not in labels:
            continue
        for field in model._meta.get_fields():
            if (isinstance(field, models.CharField) and NAME_FIELDS.match(field.name)
                    and refuse_invisible_characters not in field.validators):
                # The field's own list (cached), not its constructor's: no migration.
                field.validators.append(refuse_invisible_characters)
