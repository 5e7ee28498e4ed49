"""Text that is what it looks like, at every input and in every export.

A right-to-left override (U+202E) makes "‮txt.exe" read as "exe.txt"; a zero-width joiner
makes two names that look the same differ; a vertical tab (U+000B) is text no XLSX file may
hold, so one such reason in the append-only log would make its export fail for good.

- Inputs refuse them: ``refuse_invisible_characters`` (one line: no line break or tab either)
  and ``refuse_invisible_characters_in_lines`` (a text of several lines: line breaks and tabs
  are fine). Every form of the project runs them on every text field
  (``audit.forms.SafeTextMixin``), the API's writes go through the pages' forms, the import
  checks every cell, ``Action`` checks the reason, and ``protect_text_fields()`` puts them on
  every text field of the domain models (the administration's forms, ``full_clean``) when the
  apps are ready — no migration: validators are not part of the schema.
- Outputs show what was stored before the rule safely: ``visible()`` (spreadsheets, CSV),
  ``single_line()`` (e-mail headers, file names).

Refused: every control character (C0 but tab and line break where lines are allowed, DEL,
C1), every format character (bidirectional embeddings, overrides and isolates, zero-width
characters, the byte order mark, soft hyphens …), surrogates and noncharacters.
"""

import re
import unicodedata

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Named for the tests and the documentation; the rule itself is by Unicode category.
INVISIBLE = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]      # LRE RLE PDF LRO RLO
    + [chr(c) for c in range(0x2066, 0x206A)]    # LRI RLI FSI PDI
    + [chr(c) for c in range(0x200B, 0x2010)]    # ZWSP ZWNJ ZWJ LRM RLM
    + ["\u061c", "\u2060", "\ufeff", "\u00ad", "\u180e"]  # ALM, word joiner, BOM, soft hyphen
)
# Where a text takes several lines, these are its line breaks and tabs.
LINE_CHARACTERS = frozenset("\n\r\t\u2028\u2029")


def _refused(character, lines=False):
    if character in LINE_CHARACTERS:
        return not lines
    code = ord(character)
    return (unicodedata.category(character) in ("Cc", "Cf", "Cs")  # INVISIBLE are Cf
            or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE)  # noncharacters


def _refused_in(text, lines):
    text = str(text)
    if text.isprintable():  # the usual case, in C: nothing refused is printable
        return set()
    return {c for c in text if _refused(c, lines)}


def _codes(characters):
    return [f"U+{ord(c):04X}" for c in sorted(characters)]


def refused_characters(text, lines=False):
    """The refused characters of ``text`` as ``U+XXXX``, in code point order, each once."""
    return _codes(_refused_in(text, lines))


def _check(value, lines):
    found = _refused_in(value, lines)
    if not found:
        return
    params = {"characters": ", ".join(_codes(found))}
    if found <= LINE_CHARACTERS:  # only where one line is wanted
        raise ValidationError(
            _("This field takes a single line: remove the line breaks and tabs "
              "(%(characters)s)."), code="line_breaks", params=params)
    raise ValidationError(
        _("Remove the invisible or control characters (%(characters)s): they can make "
          "the text display differently from what it is."),
        code="invisible_characters", params=params)


def refuse_invisible_characters(value):
    """Validator of a one-line text: no control, format or invisible character, no line
    break, no tab."""
    _check(value, lines=False)


def refuse_invisible_characters_in_lines(value):
    """Validator of a text of several lines: as above, but line breaks and tabs are fine."""
    _check(value, lines=True)


TEXT_VALIDATORS = (refuse_invisible_characters, refuse_invisible_characters_in_lines)


def normalize_lines(text):
    """CR LF and CR (what browsers and old files send) as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


REPLACEMENT = "\ufffd"


def visible(text, lines=True, replacement=REPLACEMENT):
    """``text`` with every refused character replaced (U+FFFD by default): a text stored
    before the rule still exports, and shows where something was taken out."""
    if not isinstance(text, str) or text.isprintable():
        return text
    return "".join(replacement if _refused(c, lines) else c for c in text)


def single_line(text):
    """``text`` for an e-mail header: control and invisible characters become spaces, runs of
    spaces one space (a line break in data never reaches a header)."""
    cleaned = "".join(" " if _refused(c) else c for c in str(text))
    return re.sub(r"\s+", " ", cleaned).strip()


NAME_FIELDS = re.compile(r"^(name|title|first_name|last_name)(_\w+)?$")


def protect_text_fields(**kwargs):
    """Add the validators to every text field of the domain apps (one line for a
    ``CharField``, lines for a ``TextField``) and to the user's names."""
    labels = {config.label for config in apps.get_app_configs()
              if hasattr(config, "office_editable")}
    for model in apps.get_models():
        label = model._meta.app_label
        if label not in labels and label != "auth":
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, (models.CharField, models.TextField)):
                continue
            if label == "auth" and not NAME_FIELDS.match(field.name):
                continue  # the password hash, user names and e-mails have their own rules
            validator = (refuse_invisible_characters_in_lines
                         if isinstance(field, models.TextField)
                         else refuse_invisible_characters)
            if not any(v in field.validators for v in TEXT_VALIDATORS):
                # The field's own list (cached), not its constructor's: no migration.
                field.validators.append(validator)
