"""Find the standard numbers cited in running text (a document, a pasted list, a table cell).

The number parser (``catalog.rules.numbers``) decides what a number is; this only finds the
candidates in text, printed spellings included (full-width ``GB／T 1.1－2020`` is read as
``GB/T 1.1—2020``).
"""

import re
import unicodedata

from catalog.rules.numbers import StandardNumber, StandardNumberError, parse_standard_number

# A token that may be a standard number: a code (GB/T, DB6523/T, T/CAS, ISO/IEC), an
# optional space, a serial (1.1, 20000.3, 60364-1, D60), an optional year. The number
# parser decides; this only finds the candidates in running text.
_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9./])"
    r"((?:[A-Z]{1,8}\d{0,6})(?:/[A-Z]{0,8}\d{0,6})*\s?"
    r"[A-Z]?\d+(?:[.\-]\d+)*[A-Z]?"
    r"(?:\s*[—–―\-:]\s*\d{4}(?!\d))?)")


def find_numbers(text: str) -> list[StandardNumber]:
    """The standard numbers cited in running text, each as parsed, in order."""
    found = []
    for match in _CANDIDATE.finditer(unicodedata.normalize("NFKC", text)):
        number = _number(match[1].strip())
        if number is not None:
            found.append(number)
    return found


def find_written(text: str) -> list[tuple[str, StandardNumber]]:
    """The numbers cited in ``text``, each with its spelling in ``text`` as written (the
    full-width ``GB／T 1.1－2020`` stays full-width there), in order."""
    # Normalise one character at a time, so each normalised position knows its original.
    normalised, origin = [], []
    for index, char in enumerate(text):
        piece = unicodedata.normalize("NFKC", char)
        normalised.append(piece)
        origin.extend([index] * len(piece))
    flat = "".join(normalised)
    origin.append(len(text))
    found = []
    for match in _CANDIDATE.finditer(flat):
        token = match[1].strip()
        number = _number(token)
        if number is None:
            continue
        start = match.start(1) + (len(match[1]) - len(match[1].lstrip()))
        end = start + len(token)
        found.append((text[origin[start]:origin[end - 1] + 1], number))
    return found


def _number(token: str) -> StandardNumber | None:
    try:
        number = parse_standard_number(token)
    except StandardNumberError:
        return None
    if number.level in ("international", "foreign") and "/" not in token and \
            not re.match(r"(ISO|IEC|ITU|EN|BS|DIN|JIS|ASTM|ANSI|ASME|IEEE)\b", token):
        return None  # a code the parser would read as foreign, written in prose
    return number
