"""Parse and normalise standard numbers (标准编号) as real documents print them.

This is the only place that knows the grammar; everything else stores and compares the
canonical form returned here (``StandardNumber.canonical``).

Families and their canonical form (docs/domain.md, "Standard numbers")::

    national       GB 2894—2008   GB/T 1.1—2020   GB/Z 20000.11—2008
                   GBZ 2.1—2019   GBZ/T 229.1—2010 (occupational health)   GBJ 16—1987
    industry       LD/T 69—1994   AQ 3013—2008   JGJ 130—2011   CJJ 1—2008
                   JTG D60—2015 (a letter opens the serial)   DB/T 19—2020 (earthquake)
    local          DB6523/T 370—2023 (recommended)   DB12/ 617—2016 (mandatory: slash,
                   space, no T, as the official form prints it)
                   DG/TJ 08-2001—2016 (Shanghai)   DGJ32/J 12—2005 (Jiangsu)
                   DBJ 15-31—2016 (construction codes: region and serial joined by "-")
    group          T/CAS 115—2005
    organization   Q/CJSB 001—2026   Q/NKJN 308S—2013 (letters may close the serial)
    international  ISO 9001:2015   ISO/IEC 27001:2022   IEC 60364-1:2005   ISO/TS 16949:2009
    foreign        EN 1090-1:2009   BS EN ISO 13849-1:2015   DIN EN 1090-2:2018
                   IS/ISO 9001:2015   JIS Z 8301:2019   ISA/IEC 62443 (their ":year")
                   ASME B1.20.2M-2006   ANSI Z535.1-2017 (their own "-year")   RFC 5905

Chinese numbers write ``{code} {serial}—{year}`` with U+2014 EM DASH; international and
foreign ones keep their own ``{code} {serial}:{year}``. An undated number (``GB/T 13016``)
is valid and means "the latest edition applies". A two-digit year (``GB 3100-93``) is
always 19xx and becomes four digits.

What may follow the number is parsed as parts of it, not of its identity:

* an edition note ``GB 50016-2014（2018年版）``, also printed (2018版) or (2018),
  → ``edition_year`` 2018;
* amendment marks ``GB 1234-2008/XG1-2012`` (第1号修改单), ``EN 1090-1:2009+A1:2011``,
  ``ISO 9001:2015/Amd 1:2024`` → ``amendments``;
* an adopted international standard ``GB/T 19001-2016/ISO 9001:2015`` (optionally with
  ``IDT``/``MOD``/``NEQ``) → ``adoption`` and ``adoption_degree``.

``display`` writes the whole in canonical form; ``canonical`` is the standard itself.
The editions a table writes after the number in the same cell (``WS 216-2008 代替 WS
216-2001``) are split off by :func:`split_replaced`.

Clean-up before parsing: NFKC (full-width letters, digits, slash, brackets and the
ideographic space become ASCII), look-alike slashes (∕ ⁄) become "/", invisible format
characters are dropped, ASCII letters are upper-cased, a run of dashes is one dash, and
whitespace is optional except where it tells code from serial (``DB65 1`` is DB65 +
serial 1, not region 651; ``T/CAS2 1`` is body CAS2 + serial 1).

Parsing is linear in the input: one tokenising regular expression whose every repetition
is possessive over a single character class, then one pass over the tokens. Text longer
than ``MAX_LENGTH`` is refused before either runs.

Every refusal is a :class:`StandardNumberError` with a translated message, a ``code``
saying what kind of mistake it is (``REASONS``) and, where one reading is likely, a
``suggestion`` (the message then ends "Did you mean …?").
"""

from __future__ import annotations

import datetime
import re
import string
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Levels (级别); ``catalog.models.choices.Level`` labels these values.
NATIONAL = "national"
INDUSTRY = "industry"
LOCAL = "local"
GROUP = "group"
ORGANIZATION = "organization"
INTERNATIONAL = "international"  # ISO, IEC, ITU
FOREIGN = "foreign"  # national and regional standards of other countries: EN, BS, DIN

# Nature (性质), read off the code's suffix.
MANDATORY = "mandatory"  # no suffix: GB, AQ, DB65
RECOMMENDED = "recommended"  # /T (推荐性)
GUIDANCE = "guidance"  # /Z (指导性技术文件)
VOLUNTARY = "voluntary"  # group, organization, international: adopted by choice

EM_DASH = "\u2014"
FIRST_YEAR = 1949  # no standard of the People's Republic predates it
FIRST_INTERNATIONAL_YEAR = 1900
MAX_LENGTH = 100  # the longest real number with adoption and edition note is about 60

# Reason codes carried by StandardNumberError.code (tests and callers branch on these,
# never on the translated message).
EMPTY = "empty"
TOO_LONG = "too_long"
NO_CODE = "no_code"  # starts with a digit
UNKNOWN_CODE = "unknown_code"
BODY_MISSING = "body_missing"  # T/ or Q/ without the group's or organization's code
REGION = "region"  # DB not followed by a 2, 4 or 6-digit division code
SLASH_MISSING = "slash_missing"  # DB13 T 2091, GBT 1.1
SUFFIX_MISSING = "suffix_missing"  # GB/ 12690.6
SERIAL_MISSING = "serial_missing"
SERIAL_INVALID = "serial_invalid"
YEAR_MISSING = "year_missing"
YEAR_DIGITS = "year_digits"
YEAR_RANGE = "year_range"
DASH_MISSING = "dash_missing"  # GB/T 1.1 2020
COLON_MISSING = "colon_missing"  # ISO 9001-2015
AMENDMENT_INVALID = "amendment_invalid"
ADOPTION_INVALID = "adoption_invalid"
EDITION_INVALID = "edition_invalid"
TRAILING = "trailing"
REASONS = frozenset({
    EMPTY, TOO_LONG, NO_CODE, UNKNOWN_CODE, BODY_MISSING, REGION, SLASH_MISSING,
    SUFFIX_MISSING, SERIAL_MISSING, SERIAL_INVALID, YEAR_MISSING, YEAR_DIGITS, YEAR_RANGE,
    DASH_MISSING, COLON_MISSING, AMENDMENT_INVALID, ADOPTION_INVALID, EDITION_INVALID,
    TRAILING,
})

# Industry-standard codes (行业标准代号) as published by SAC in the list of codes
# approved under the Measures for the Administration of Industry Standards, plus the
# engineering-construction codes of the ministries (JGJ, CJJ, JTG, JTJ).
# "DB" is also the code of the earthquake industry (地震, DB/T); it is only read as
# an industry code when a suffix follows directly, because DB + digits is a local code.
INDUSTRY_CODES = frozenset(
    """
    AQ BB CB CH CJ CY DA DB DL DZ EJ FZ GA GH GM GY HB HG HJ HS HY JB JC JG JR JT JY
    LB LD LS LY MH MT MZ NB NY QB QC QJ QX RB SB SC SF SH SJ SL SN SW SY TB TD TY WB
    WH WJ WM WS WW XB XF YB YC YD YJ YS YY YZ ZY
    JGJ CJJ JTG JTJ
    """.split()
)
# National codes besides GB: occupational health (GBZ, not GB/Z) and the old national
# construction codes (GBJ, before GB 5xxxx).
NATIONAL_CODES = frozenset({"GB", "GBZ", "GBJ"})
# Codes whose serial may open with letters (JTG D60, JTG/T F50).
LETTER_SERIAL_CODES = frozenset({"JTG", "JTJ"})

# International bodies and the foreign ones whose numbers use the ":year" convention.
INTERNATIONAL_BODIES = frozenset({"ISO", "IEC", "ITU", "IEEE"})
FOREIGN_BODIES = frozenset({"EN", "BS", "DIN", "NF", "CEN", "CLC", "AS", "NZS", "UNE",
                            "UNI", "NEN", "SS", "DS", "SN", "CSA", "IS", "JIS", "ASME",
                            "ANSI", "ISA", "RFC"})
# Foreign bodies that do not write ISO's "serial:year": their own separator (ASME
# B1.20.2M-2006, ANSI Z535.1-2017), or "" for numbers that never carry a year (RFC 5905).
# A joint number takes the convention of its last body, whose number it is:
# ANSI/ASME B1.20.1-2013, but ISA/IEC 62443-3-3:2013 and IS/ISO 9001:2015.
YEAR_SEPARATORS = {"ASME": "-", "ANSI": "-", "ISA": "-", "RFC": ""}
# Serials that open with letters glued to digits (ASME B1.20.2M, ANSI Z535.1), or with a
# division letter and a space (JIS Z 8301).
LETTERED_SERIAL_BODIES = frozenset({"ASME", "ANSI"})
DIVISION_SERIAL_BODIES = frozenset({"JIS"})
# Document types written between body and serial: ISO/TS 16949, ISO/IEC Guide 98-3.
DOCUMENT_TYPES = {"TS": "TS", "TR": "TR", "PAS": "PAS", "GUIDE": "Guide", "IS": "IS"}
ADOPTION_DEGREES = ("IDT", "MOD", "NEQ")

# 行政区划代码 of the 31 provincial-level divisions, plus the two prefectures this
# bureau's local standards come from most: its own (昌吉州) and the regional capital.
REGION_NAMES = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "6501": "乌鲁木齐市",
    "6523": "昌吉回族自治州",
}

# Dashes people type or paste for the year separator. NFKC has already folded the
# full-width and small forms (－ ﹣ ﹘) and U+2011 into these.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b"
# Slashes that look like "/" in PDFs: DIVISION SLASH, FRACTION SLASH, BIG SOLIDUS.
_LOOKALIKES = str.maketrans({"\u2215": "/", "\u2044": "/", "\u29f8": "/", "\u2236": ":"})

# Only ASCII letters are upper-cased: str.upper() would turn e.g. "ß" into "SS" and
# let non-ASCII text sneak into a canonical number.
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)

# The one regular expression: letters, digits, whitespace and dash runs, or any single
# character. Possessive single-class repetitions cannot backtrack, so this is linear.
# Explicit [0-9] and [A-Z] because \d would also accept other scripts' digits.
_TOKEN = re.compile(r"[A-Z]++|[0-9]++|\s++|[" + re.escape(_DASHES) + r"]++|.", re.DOTALL)
LETTERS, DIGITS, SPACE, DASH, OTHER = "L", "D", "S", "H", "X"
_PUNCTUATION = "/.:+(),"
# "代替" (replaces) written after a number in one cell, and what separates several numbers.
REPLACING_WORDS = ("代替", "替代")
_LIST_SEPARATORS = str.maketrans({";": ",", "、": ","})


class StandardNumberError(ValueError):
    """The text is not a standard number.

    ``str(exc)`` is a translated, user-facing sentence saying what is wrong; ``code`` is
    one of ``REASONS``; ``suggestion`` the probable reading in canonical form, or "".
    """

    def __init__(self, message, code=TRAILING, suggestion=""):
        if suggestion:
            message = f"{message} " + _("Did you mean %(suggestion)s?") % {
                "suggestion": suggestion}
        super().__init__(message)
        self.code, self.suggestion = code, suggestion


@dataclass(frozen=True)
class AmendmentMark:
    """An amendment mark after a number: 第1号修改单 ``XG1-2012``, ``+A1:2011``."""

    sequence: int
    year: int | None
    style: str = "XG"  # "XG" (Chinese), "A" (EN: +A1:2011) or "Amd" (ISO: /Amd 1:2024)

    def display(self, international: bool = False) -> str:
        year = "" if self.year is None else (
            f":{self.year}" if international else f"{EM_DASH}{self.year}")
        if self.style == "A":
            return f"+A{self.sequence}{year}"
        if self.style == "Amd":
            return f"/Amd {self.sequence}{year}"
        return f"/XG{self.sequence}{year}"


@dataclass(frozen=True)
class StandardNumber:
    """A parsed standard number; build it with :func:`parse_standard_number`."""

    code: str  # "GB/T", "DB6523/T", "DB12", "Q/CJSB", "ISO/IEC", "DG/TJ 08"
    serial: str  # "1.1", "001", "D60", "60364-1"
    year: int | None  # None when undated; always four digits
    level: str  # NATIONAL, INDUSTRY, LOCAL, GROUP, ORGANIZATION, INTERNATIONAL, FOREIGN
    nature: str  # MANDATORY, RECOMMENDED, GUIDANCE or VOLUNTARY
    region_code: str = ""  # local standards only: "65", "6523", ...
    edition_year: int | None = None  # （2018年版）
    amendments: tuple[AmendmentMark, ...] = ()
    adoption: StandardNumber | None = None  # the international standard adopted
    adoption_degree: str = ""  # IDT, MOD or NEQ when printed with the number
    # The text as given (cleaned of invisible characters); not part of the identity.
    printed: str = field(default="", compare=False)

    @property
    def is_international(self) -> bool:
        return self.level in (INTERNATIONAL, FOREIGN)

    @property
    def undated(self) -> str:
        """The canonical form without the year: ``GB/T 1.1``, ``DB12/ 617``."""
        if self.level == LOCAL and self.code[2:].isdigit() and self.code.startswith("DB"):
            return f"{self.code}/ {self.serial}"  # mandatory local: the official DB12/ form
        if " " in self.code and not self.is_international:
            return f"{self.code}-{self.serial}"  # DG/TJ 08-2001, DBJ 15-31
        return f"{self.code} {self.serial}"

    @property
    def year_separator(self) -> str:
        """The em dash of Chinese numbers, else the body's own (":" as ISO writes it)."""
        if not self.is_international:
            return EM_DASH
        return YEAR_SEPARATORS.get(_last_body(self.code), ":")

    @property
    def canonical(self) -> str:
        """The standard itself, as stored in the catalog: ``GB/T 19001—2016``."""
        if self.year is None:
            return self.undated
        return f"{self.undated}{self.year_separator}{self.year}"

    @property
    def display(self) -> str:
        """Everything the text said, canonically: ``GB/T 19001—2016/ISO 9001:2015``."""
        text = self.canonical
        if self.edition_year:
            text += f"（{self.edition_year}年版）"
        text += "".join(a.display(self.is_international) for a in self.amendments)
        if self.adoption:
            text += f"/{self.adoption.display}"
        return text

    @property
    def is_dated(self) -> bool:
        return self.year is not None

    @property
    def region_name(self) -> str:
        return region_name(self.region_code)

    def __str__(self) -> str:
        return self.canonical


def parse_standard_number(text: str) -> StandardNumber:
    """Parse ``text`` leniently; raise :class:`StandardNumberError` saying what is wrong."""
    stripped = (text or "").strip()
    if len(stripped) > MAX_LENGTH:
        # Before any normalisation or matching: a viewer can send megabytes in a URL.
        raise StandardNumberError(
            _("A standard number has at most %(max)d characters; this text has %(length)d.")
            % {"max": MAX_LENGTH, "length": len(stripped)},
            TOO_LONG,
        )
    as_written = _clean(stripped)
    if not as_written:
        raise StandardNumberError(
            _("Enter a standard number, for example GB/T 1.1—2020."), EMPTY)
    return _Parser(as_written).number()


def normalize_standard_number(text: str) -> str:
    """The canonical form of ``text``; raises :class:`StandardNumberError`."""
    return parse_standard_number(text).canonical


def region_name(region_code: str) -> str:
    """Name of an administrative division code, falling back to its province; "" if unknown."""
    if not region_code or not region_code.isascii() or not region_code.isdigit():
        return ""
    if region_code in REGION_NAMES:
        return REGION_NAMES[region_code]
    if len(region_code) in (4, 6):
        return REGION_NAMES.get(region_code[:2], "")
    return ""


# --- internals ----------------------------------------------------------------------


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES)
    # Zero-width spaces, soft hyphens and BOMs come along when copying from PDFs and Word.
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.strip()


def _excerpt(text: str, limit: int = 30) -> str:
    # Keep messages readable when someone pastes a whole paragraph.
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(slots=True)
class _Token:
    kind: str  # LETTERS, DIGITS, SPACE, DASH, OTHER or one of _PUNCTUATION
    text: str  # upper-cased
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        value, first = match.group(), match.group()[0]
        if "A" <= first <= "Z":
            kind = LETTERS
        elif "0" <= first <= "9":
            kind = DIGITS
        elif first.isspace():
            kind = SPACE
        elif first in _DASHES:
            kind = DASH
        elif first in _PUNCTUATION:
            kind = first
        else:
            kind = OTHER
        tokens.append(_Token(kind, value, match.start(), match.end()))
    return tokens


class _Parser:
    """One pass over the tokens of one cleaned text."""

    def __init__(self, as_written: str):
        self.as_written = as_written  # quoted back in messages
        self.tokens = _tokens(as_written.translate(_ASCII_UPPER))
        self.i = 0

    # -- token helpers

    def peek(self, offset: int = 0) -> _Token | None:
        index = self.i + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def at(self, kind: str, text: str | None = None, offset: int = 0) -> bool:
        token = self.peek(offset)
        return token is not None and token.kind == kind and text in (None, token.text)

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def skip_space(self) -> None:
        if self.at(SPACE):
            self.i += 1

    def at_after_space(self, kind: str, text: str | None = None) -> bool:
        return self.at(kind, text) or (self.at(SPACE) and self.at(kind, text, 1))

    def written_from(self, index: int) -> str:
        if index >= len(self.tokens):
            return ""
        return self.as_written[self.tokens[index].start:].strip()

    def written_between(self, first: int, last: int) -> str:
        last = min(last, len(self.tokens))
        if first >= len(self.tokens) or last <= first:
            return ""
        return self.as_written[self.tokens[first].start:self.tokens[last - 1].end].strip()

    def rest_text(self) -> str:
        """The upper-cased text from the current token on (for suggestions)."""
        return "".join(t.text for t in self.tokens[self.i:])

    # -- the grammar

    def number(self) -> StandardNumber:
        number = self.main_number()
        return self.tail(number)

    def main_number(self) -> StandardNumber:
        """A number without what may follow it (edition, amendment, adoption)."""
        token = self.peek()
        if token.kind == LETTERS and (token.text in INTERNATIONAL_BODIES
                                      or token.text in FOREIGN_BODIES):
            return self.international()
        code, level, nature, region, serial_kind = self.code()
        serial = self.serial(code, serial_kind)
        year = self.year(code, serial)
        return StandardNumber(code, serial, year, level, nature, region,
                              printed=self.as_written)

    def code(self) -> tuple[str, str, str, str, str]:
        """(code, level, nature, region_code, serial kind) or raise."""
        token = self.peek()
        if token.kind == DIGITS:
            raise StandardNumberError(
                _("“%(text)s” does not start with a standard code; write it as, for "
                  "example, GB/T 1.1—2020.") % {"text": _excerpt(self.as_written)},
                NO_CODE)
        if token.kind != LETTERS:
            raise self.unknown_code(self.i)
        letters = token.text
        if letters in ("T", "Q") and (self.at("/", offset=1) or (
                self.at(SPACE, offset=1) and self.at("/", offset=2))):
            return self.body_code(letters)
        if letters.startswith("DB") and (len(letters) == 2 or letters == "DBJ"):
            local = self.local_code(letters)
            if local:
                return local
        if letters in ("DG", "DGJ"):
            local = self.construction_code(letters)
            if local:
                return local
        return self.letter_code()

    def body_code(self, prefix: str):
        """T/… (group) or Q/… (organization): the body is letters and digits."""
        self.take()
        self.skip_space()
        self.take()  # the slash
        self.skip_space()
        first = self.i
        while self.at(LETTERS) or self.at(DIGITS):
            self.i += 1
        run = self.tokens[first:self.i]
        if not any(t.kind == LETTERS for t in run):
            raise StandardNumberError(
                _("“%(prefix)s/” must be followed by the code of the group or organization, "
                  "for example T/CAS or Q/CJSB.") % {"prefix": prefix},
                BODY_MISSING)
        if self.at(SPACE) and self.at(DIGITS, offset=1):
            body = run  # "T/CAS2 115": the whole run is the body
        else:
            # Glued ("T/CAS115", "Q/NKJN308S"): the longest run ending in letters that
            # leaves a serial (digits, then letters for an organization).
            # A serial is one or two tokens, so only the last two cuts can leave one.
            cut = len(run)
            for end in (len(run) - 1, len(run) - 2):
                if end > 0 and run[end - 1].kind == LETTERS and _is_glued_serial(
                        run[end:], prefix):
                    cut = end
                    break
            body = run[:cut]
            self.i = first + cut
        level = GROUP if prefix == "T" else ORGANIZATION
        code = f"{prefix}/" + "".join(t.text for t in body)
        return code, level, VOLUNTARY, "", "org" if prefix == "Q" else "plain"

    def local_code(self, letters: str):
        """DB + region (DB65, DB6523/T, DB12/ 617) or DBJ 15-… ; None for DB/T."""
        start = self.i
        self.take()
        if letters == "DBJ" and self.at("/") and self.at(LETTERS, "T", 1):
            letters = "DBJ/T"
            self.i += 2
        self.skip_space()
        if not self.at(DIGITS):
            if letters == "DB" and self.at("/"):
                self.i = start  # DB/T: the earthquake industry
                return None
            if letters == "DBJ":
                raise StandardNumberError(_local_code_message("DBJ"), REGION)
            raise StandardNumberError(_local_code_message(self.written_between(start, self.i)
                                                          or "DB"), REGION)
        region = self.take().text
        if letters == "DBJ":
            # Construction codes of Guangdong, Chongqing, Fujian…: DBJ 15-31-2016.
            if len(region) != 2 or not self.at(DASH):
                raise StandardNumberError(_local_code_message(f"DBJ{region}"), REGION)
            self.take()
            return f"DBJ {region}", LOCAL, MANDATORY, region, "dashed"
        if letters == "DBJ/T":
            if len(region) != 2 or not self.at(DASH):
                raise StandardNumberError(_local_code_message(f"DBJ/T {region}"), REGION)
            self.take()
            return f"DBJ/T {region}", LOCAL, RECOMMENDED, region, "dashed"
        suffix = None
        if self.at_after_space("/"):
            self.skip_space()
            self.take()
            self.skip_space()
            if self.at(LETTERS):
                suffix = self.take().text
            # else: "DB12/ 617", the official form of a mandatory local standard
        else:
            self.lost_slash(f"DB{region}", "TZ")  # DB13 T 2091-2014, DB13_T 2091-2014
        code = f"DB{region}" + (f"/{suffix}" if suffix else "")
        if len(region) not in (2, 4, 6):
            raise StandardNumberError(_local_code_message(code), REGION)
        if suffix not in (None, "T"):
            raise self.unknown_code_text(code)
        return code, LOCAL, RECOMMENDED if suffix else MANDATORY, region, "plain"

    def construction_code(self, letters: str):
        """Shanghai DG/TJ 08-2001-2016 and DGJ 08-…, Jiangsu DGJ32/J 12-2005."""
        start = self.i
        self.take()
        if letters == "DG":
            if not (self.at("/") and self.at(LETTERS, "TJ", 1)):
                self.i = start
                return None
            self.i += 2
            self.skip_space()
        else:
            self.skip_space()
        if not self.at(DIGITS):
            self.i = start
            return None
        region = self.take().text
        if region == "08":  # Shanghai's construction series: DG/TJ 08-2001-2016
            if not self.at(DASH):
                raise StandardNumberError(_local_code_message(f"{letters} 08"), REGION)
            self.take()
            code = "DG/TJ 08" if letters == "DG" else "DGJ 08"
            return code, LOCAL, RECOMMENDED if letters == "DG" else MANDATORY, "31", "dashed"
        if letters == "DGJ" and len(region) == 2 and self.at_after_space("/"):
            self.skip_space()
            self.take()
            self.skip_space()
            if self.at(LETTERS, "J") or self.at(LETTERS, "TJ"):
                suffix = self.take().text
                nature = RECOMMENDED if suffix == "TJ" else MANDATORY
                return f"DGJ{region}/{suffix}", LOCAL, nature, region, "plain"
        raise StandardNumberError(_local_code_message(self.written_between(start, self.i)),
                                  REGION)

    def letter_code(self):
        """GB, GB/T, GBZ/T, an industry code with its suffix."""
        start = self.i
        letters = self.take().text
        suffix = None
        if letters in NATIONAL_CODES or letters in INDUSTRY_CODES:
            self.lost_slash(letters, "TZ")
        if self.at_after_space("/"):
            self.skip_space()
            self.take()
            self.skip_space()
            if self.at(LETTERS):
                suffix = self.take().text
            elif letters in NATIONAL_CODES or letters in INDUSTRY_CODES:
                # "gb/12690.6-2003": the T or Z after the slash is missing.
                rest = self.rest_text()
                guesses = [self.guess(f"{letters}/T", rest), self.guess(letters, rest)]
                guesses = [g for g in guesses if g]
                raise StandardNumberError(
                    _("“%(code)s/” must be followed by T or Z (recommended or guidance); "
                      "a mandatory standard is written without the slash.")
                    % {"code": letters}, SUFFIX_MISSING,
                    _("%(first)s or %(second)s") % {"first": guesses[0],
                                                    "second": guesses[1]}
                    if len(guesses) == 2 else "")
            else:
                raise self.unknown_code(start)
        code = letters + (f"/{suffix}" if suffix else "")
        if letters == "DB" and suffix is None:
            # Neither a local code (no region digits) nor DB/T of the earthquake industry.
            raise StandardNumberError(_local_code_message(code), REGION)
        if letters in NATIONAL_CODES:
            level = NATIONAL
        elif letters in INDUSTRY_CODES:
            level = INDUSTRY
        else:
            if suffix is None and len(letters) > 2 and letters[-1] in "TZ" and (
                    letters[:-1] in NATIONAL_CODES or letters[:-1] in INDUSTRY_CODES):
                # "GBT 1.1-2020", "JGJT 46-2005": the slash before T was lost.
                fixed = f"{letters[:-1]}/{letters[-1]}"
                raise StandardNumberError(
                    _("A slash is missing between “%(code)s” and “%(suffix)s”.")
                    % {"code": letters[:-1], "suffix": letters[-1]},
                    SLASH_MISSING, self.guess(fixed, self.rest_text()))
            raise self.unknown_code(start)
        allowed = {None: MANDATORY, "T": RECOMMENDED}
        if letters == "GB" or level == INDUSTRY:
            allowed["Z"] = GUIDANCE
        if suffix not in allowed:
            raise self.unknown_code_text(code)
        serial_kind = "lettered" if letters in LETTER_SERIAL_CODES else "plain"
        return code, level, allowed[suffix], "", serial_kind

    def lost_slash(self, code: str, suffixes: str) -> None:
        """Refuse, with the reading meant, a code whose slash was lost or replaced when
        copying or in a file name: "DB13 T 2091-2014", "GB_T 32170.2-2015", "GB-T …"."""
        between = self.peek()
        after = self.peek(2)
        if (between is None or not (between.kind in (SPACE, DASH) or (
                between.kind == OTHER and between.text in "_\\|"))
                or not self.at(LETTERS, offset=1) or self.peek(1).text not in suffixes
                or (after is not None and after.kind not in (SPACE, DIGITS))):
            return
        suffix = self.peek(1).text
        self.i += 2
        guess = self.guess_rest(f"{code}/{suffix}")
        if between.kind == SPACE:
            message = _("A slash is missing between “%(code)s” and “%(suffix)s”.") % {
                "code": code, "suffix": suffix}
        else:
            message = _("“%(character)s” stands where the slash belongs, between "
                        "“%(code)s” and “%(suffix)s”.") % {
                "character": between.text, "code": code, "suffix": suffix}
        raise StandardNumberError(message, SLASH_MISSING, guess)

    def serial(self, code: str, kind: str) -> str:
        self.skip_space()
        first = self.i
        if kind == "lettered" and self.at(LETTERS) and len(self.peek().text) <= 2:
            # JTG D60, JTG/T F50, JTG B01: a letter or two, then digits (spaces dropped).
            self.take()
            self.skip_space()
            if not self.at(DIGITS):
                raise self.serial_missing(code)
        while self.at(DIGITS) or self.at("."):
            self.i += 1
        if kind == "org" and self.at(LETTERS) and self.i > first:
            self.i += 1  # Q/NKJN 308S: letters may close an organization's serial
        if self.i == first:
            raise self.serial_missing(code)
        serial = "".join(t.text for t in self.tokens[first:self.i] if t.kind != SPACE)
        if not _is_dotted_digits(serial.lstrip(string.ascii_uppercase).rstrip(
                string.ascii_uppercase)) or (kind != "org" and serial[-1].isalpha()):
            raise StandardNumberError(
                _("“%(serial)s” is not a valid serial number: use digits, optionally in "
                  "dotted parts such as 1.1 or 20000.1.")
                % {"serial": self.written_between(first, self.i)},
                SERIAL_INVALID)
        return serial

    def year(self, code: str, serial: str) -> int | None:
        save = self.i
        self.skip_space()
        if not self.at(DASH):
            if self.at(DIGITS) and len(self.peek().text) in (2, 4) and self.peek(1) is None:
                # "GB/T 1.1 2020": a space where the dash belongs.
                digits = self.peek().text
                guess = self.guess_number(code, serial, _year_or_none(digits))
                raise StandardNumberError(
                    _("A dash is missing before the year “%(year)s”.") % {"year": digits},
                    DASH_MISSING, guess)
            self.i = save
            return None
        self.take()  # one dash, or a run of them (DB31/T 1122---2018)
        self.skip_space()
        digits = self.take().text if self.at(DIGITS) else ""
        return _check_year(digits)

    def tail(self, number: StandardNumber) -> StandardNumber:
        """Edition note, amendment marks, adopted number, then the end of the text."""
        edition, amendments = None, list(number.amendments)
        adoption, degree = None, ""
        self.skip_space()
        if self.at("("):
            edition = self.edition()
            self.skip_space()
        while not self.at_end() and adoption is None:
            if self.at("/"):
                self.take()
                self.skip_space()
                if self.at(LETTERS, "XG") and not number.is_international:
                    amendments.append(self.chinese_amendment())
                elif self.at(LETTERS, "AMD"):
                    amendments.append(self.international_amendment("Amd"))
                elif (self.at(LETTERS, "A") and self.at(DIGITS, offset=1)
                      and number.is_international):
                    # EN ISO 20471:2013/A1:2016, as EN's +A1 is often printed.
                    amendments.append(self.international_amendment("A"))
                else:
                    adoption = self.adoption(number)
                    degree = self.degree()
            elif self.at("+") and self.at(LETTERS, "A", 1) and number.is_international:
                self.take()
                amendments.append(self.international_amendment("A"))
            else:
                break
            self.skip_space()
        if edition is None and self.at("("):
            edition = self.edition()
            self.skip_space()
        if not self.at_end():
            rest = self.written_from(self.i)
            done = self.written_between(0, self.i)
            raise StandardNumberError(
                _("Unexpected text “%(rest)s” after the standard number “%(number)s”.")
                % {"rest": _excerpt(rest), "number": _excerpt(done)},
                TRAILING)
        if edition is None and not amendments and adoption is None:
            return number
        return StandardNumber(
            number.code, number.serial, number.year, number.level, number.nature,
            number.region_code, edition, tuple(amendments), adoption, degree,
            printed=self.as_written)

    def at_end(self) -> bool:
        return self.i >= len(self.tokens)

    def edition(self) -> int:
        """（2018年版）: the edition that incorporates later partial revisions; tables also
        print it (2018版) and (2018)."""
        start = self.i
        self.take()
        self.skip_space()
        digits = self.take().text if self.at(DIGITS) else ""
        self.skip_space()
        if self.at(OTHER, "年"):
            self.take()
            self.skip_space()
        if self.at(OTHER, "版"):
            self.take()
        if len(digits) == 4 and self.at(")"):
            self.take()
            year = int(digits)
            if FIRST_YEAR <= year <= _last_year():
                return year
        while not self.at_end() and not self.at(")"):
            self.i += 1
        self.i += 1
        raise StandardNumberError(
            _("“%(text)s” is not an edition note: write it as (2018年版).")
            % {"text": _excerpt(self.written_between(start, self.i))},
            EDITION_INVALID)

    def chinese_amendment(self) -> AmendmentMark:
        """XG1-2012: 第1号修改单 of 2012."""
        start = self.i
        self.take()
        self.skip_space()
        if self.at(DIGITS):
            sequence = int(self.take().text)
            self.skip_space()
            if self.at(DASH):
                self.take()
                self.skip_space()
                if self.at(DIGITS):
                    return AmendmentMark(sequence, _check_year(self.take().text), "XG")
            elif self.at_end() or self.at("/") or self.at(SPACE):
                return AmendmentMark(sequence, None, "XG")
        raise StandardNumberError(
            _("“%(text)s” is not an amendment mark: write it as XG1-2012 (amendment No. 1, "
              "of 2012).") % {"text": _excerpt(self.written_from(start))},
            AMENDMENT_INVALID)

    def international_amendment(self, style: str) -> AmendmentMark:
        """+A1:2011 (EN) or /Amd 1:2024 (ISO)."""
        start = self.i
        self.take()
        self.skip_space()
        if self.at(DIGITS):
            sequence = int(self.take().text)
            if self.at(":") and self.at(DIGITS, offset=1):
                self.take()
                return AmendmentMark(sequence, _check_year(self.take().text, international=True),
                                 style)
            return AmendmentMark(sequence, None, style)
        raise StandardNumberError(
            _("“%(text)s” is not an amendment mark: write it as +A1:2011 or /Amd 1:2024.")
            % {"text": _excerpt(self.written_from(start))},
            AMENDMENT_INVALID)

    def adoption(self, number: StandardNumber) -> StandardNumber:
        """GB/T 19001-2016/ISO 9001:2015: the international standard adopted."""
        start = self.i
        token = self.peek()
        if (number.is_international or token is None or token.kind != LETTERS
                or not (token.text in INTERNATIONAL_BODIES or token.text in FOREIGN_BODIES)):
            raise StandardNumberError(
                _("“%(text)s” after the slash is neither an amendment mark (XG1-2012) nor "
                  "an adopted international standard (ISO 9001:2015).")
                % {"text": _excerpt(self.written_from(start))},
                ADOPTION_INVALID)
        adopted = self.international()
        # Its own amendments (…/EN 1090-1:2009+A1:2011) belong to the adopted number.
        amendments = []
        while self.at("+") and self.at(LETTERS, "A", 1):
            self.take()
            amendments.append(self.international_amendment("A"))
        while self.at("/") and (self.at(LETTERS, "AMD", 1) or (
                self.at(LETTERS, "A", 1) and self.at(DIGITS, offset=2))):
            self.take()
            amendments.append(self.international_amendment(
                "Amd" if self.at(LETTERS, "AMD") else "A"))
        if amendments:
            adopted = StandardNumber(adopted.code, adopted.serial, adopted.year,
                                     adopted.level, adopted.nature,
                                     amendments=tuple(amendments))
        return adopted

    def degree(self) -> str:
        """An optional IDT/MOD/NEQ after the adopted number: ", IDT" or "(IDT)"."""
        save = self.i
        self.skip_space()
        bracket = False
        if self.at(","):
            self.take()
            self.skip_space()
        elif self.at("("):
            self.take()
            bracket = True
        if self.at(LETTERS) and self.peek().text in ADOPTION_DEGREES:
            degree = self.take().text
            if not bracket:
                return degree
            if self.at(")"):
                self.take()
                return degree
        self.i = save
        return ""

    def international(self) -> StandardNumber:
        """ISO/IEC 27001:2022, IEC 60364-1:2005, BS EN ISO 13849-1:2015, ISO/TS 16949."""
        parts, levels = [], set()
        while True:
            token = self.take()
            parts.append(token.text)
            levels.add(INTERNATIONAL if token.text in INTERNATIONAL_BODIES else FOREIGN)
            save = self.i
            separator = "/" if self.at_after_space("/") else " "
            self.skip_space()
            if separator == "/":
                self.take()
                self.skip_space()
            nxt = self.peek()
            if nxt is not None and nxt.kind == LETTERS and (
                    nxt.text in INTERNATIONAL_BODIES or nxt.text in FOREIGN_BODIES):
                parts.append(separator)
                continue
            if nxt is not None and nxt.kind == LETTERS and nxt.text in DOCUMENT_TYPES:
                parts.extend([separator, DOCUMENT_TYPES[self.take().text]])
                break
            self.i = save
            break
        code = "".join(parts)
        level = INTERNATIONAL if levels == {INTERNATIONAL} else FOREIGN
        body = _last_body(code)
        separator = YEAR_SEPARATORS.get(body, ":")
        self.skip_space()
        if body in LETTERED_SERIAL_BODIES or body in DIVISION_SERIAL_BODIES:
            serial = self.lettered_serial(code, body in DIVISION_SERIAL_BODIES)
        else:
            serial = self.international_serial(code, dashed=separator == ":")
        if separator == "":
            return StandardNumber(code, serial, None, level, VOLUNTARY,
                                  printed=self.as_written)
        if separator == "-":
            # The body's own dash, or the colon Chinese documents print for every foreign
            # year (ASME B1.20.2M：2006).
            year = None
            if self.at_after_space(DASH) or self.at_after_space(":"):
                self.skip_space()
                self.take()
                self.skip_space()
                digits = self.take().text if self.at(DIGITS) else ""
                year = _check_year(digits, international=True, separator=separator)
            return StandardNumber(code, serial, year, level, VOLUNTARY,
                                  printed=self.as_written)
        year = None
        head, dash, last = serial.rpartition("-")
        if dash and not self.at(":") and len(last) == 4 and _year_or_none(last):
            # "ISO 9001-2015": a Chinese-style dash before the year.
            raise StandardNumberError(
                _("The year of an international standard follows a colon, for example "
                  "ISO 9001:2015."), COLON_MISSING, f"{code} {head}:{last}")
        if self.at_after_space(":"):
            self.skip_space()
            self.take()
            self.skip_space()  # ISO 3508： 1976
            digits = self.take().text if self.at(DIGITS) else ""
            year = _check_year(digits, international=True, separator=":")
        elif self.at_after_space(DASH) and not self.at_after_space(DASH, "-"):
            # "ISO 9001—2015": a Chinese-style dash before the year.
            self.skip_space()
            self.take()
            self.skip_space()
            digits = self.peek().text if self.at(DIGITS) else ""
            guess = ""
            if len(digits) == 4:
                guess = f"{code} {serial}:{digits}"
            raise StandardNumberError(
                _("The year of an international standard follows a colon, for example "
                  "ISO 9001:2015."), COLON_MISSING, guess)
        return StandardNumber(code, serial, year, level, VOLUNTARY, printed=self.as_written)

    def international_serial(self, code: str, dashed: bool) -> str:
        """60364-1, 13849-1, 8601-1: digits in parts joined by "." (and "-" for ISO's)."""
        first = self.i
        while self.at(DIGITS) or ((self.at(".") or (dashed and self.at(DASH, "-")))
                                  and self.at(DIGITS, offset=1) and self.i > first):
            self.i += 1
        if self.i == first:
            raise self.serial_missing(code)
        return "".join(t.text for t in self.tokens[first:self.i])

    def lettered_serial(self, code: str, division: bool) -> str:
        """ASME B1.20.2M, ANSI Z535.1 (letters glued on), JIS Z 8301 (a division letter)."""
        first = self.i
        letters = ""
        if self.at(LETTERS) and len(self.peek().text) <= 3:
            letters = self.take().text
            if division:
                self.skip_space()
        digits_from = self.i
        while self.at(DIGITS) or (self.at(".") and self.at(DIGITS, offset=1)
                                  and self.i > digits_from):
            self.i += 1
        if self.i == digits_from or (division and not letters):
            self.i = first
            raise self.serial_missing(code)
        serial = "".join(t.text for t in self.tokens[digits_from:self.i])
        if not division and self.at(LETTERS) and len(self.peek().text) <= 2:
            serial += self.take().text  # B1.20.2M: M for metric
        return f"{letters} {serial}" if division else letters + serial

    # -- messages and suggestions

    def serial_missing(self, code: str) -> StandardNumberError:
        return StandardNumberError(
            _("The serial number is missing after “%(code)s”, for example %(code)s 1234.")
            % {"code": code}, SERIAL_MISSING)

    def unknown_code(self, index: int) -> StandardNumberError:
        end = index
        while end < len(self.tokens) and self.tokens[end].kind not in (DIGITS, SPACE, DASH):
            end += 1
        return self.unknown_code_text(self.written_between(index, end) or self.as_written)

    def unknown_code_text(self, code: str) -> StandardNumberError:
        return StandardNumberError(_(
            "“%(code)s” is not a known standard code (expected GB, GB/T, GB/Z, an industry "
            "code such as LD/T or JGJ, DB + region code, T/…, Q/…, or ISO, IEC, EN…)."
        ) % {"code": _excerpt(re.sub(r"\s+", "", code))}, UNKNOWN_CODE)

    def guess(self, code: str, rest: str) -> str:
        """The canonical form of ``code`` + ``rest`` if that parses, else ""."""
        try:
            return _Parser(f"{code} {rest}").number().canonical
        except StandardNumberError:
            return ""

    def guess_rest(self, code: str) -> str:
        return self.guess(code, self.rest_text())

    def guess_number(self, code: str, serial: str, year: int | None) -> str:
        if year is None:
            return ""
        return self.guess(code, f"{serial}-{year}")


def _last_body(code: str) -> str:
    """The body whose number a (joint) international code is: IEC of ``ISA/IEC``."""
    bodies = [part for part in code.replace("/", " ").split()
              if part in INTERNATIONAL_BODIES or part in FOREIGN_BODIES]
    return bodies[-1] if bodies else ""


def split_replaced(text: str) -> tuple[str, list[str]]:
    """``WS 216-2008　代替　WS 216-2001`` → (``WS 216-2008``, [``WS 216-2001``]).

    Tables often write the replaced editions in the number's own cell, as the cover of a
    standard prints them under its number: "代替 …", "(代替 …)", "替代：…"; several are
    separated by 、 , or ;. Without such a word the text comes back alone.
    """
    written = (text or "").strip()  # as printed: the number's part is kept as it was
    for word in REPLACING_WORDS:
        head, found, tail = written.partition(word)
        if found:
            break
    else:
        return written, []
    head, tail = head.strip(), tail.strip().lstrip(":：").strip()
    if head[-1:] in ("(", "（") and tail[-1:] in (")", "）"):  # GB 5749-2022（代替 GB 5749-2006）
        head, tail = head[:-1].strip(), tail[:-1].strip()
    parts = _clean(tail).translate(_LIST_SEPARATORS).split(",")
    return head, [part.strip() for part in parts if part.strip()]


def _is_dotted_digits(text: str) -> bool:
    return bool(text) and all(part.isdigit() and part.isascii() for part in text.split("."))


def _is_glued_serial(tokens: list[_Token], prefix: str) -> bool:
    kinds = [t.kind for t in tokens]
    if kinds == [DIGITS]:
        return True
    return prefix == "Q" and kinds == [DIGITS, LETTERS]


def _local_code_message(code: str) -> str:
    return _(
        "“%(code)s” is not a valid local standard code: DB must be followed by the 2, 4 "
        "or 6-digit administrative division code, for example DB65/T or DB6523/T."
    ) % {"code": _excerpt(code)}


def _last_year() -> int:
    return datetime.date.today().year + 1  # standards are published ahead of their year


def _year_or_none(digits: str) -> int | None:
    try:
        return _check_year(digits)
    except StandardNumberError:
        return None


def _check_year(digits: str, international: bool = False, separator: str = "-") -> int:
    if not digits and separator == ":":
        raise StandardNumberError(
            _("The year after the colon is missing: give a four-digit year, or leave out "
              "the colon to mean the latest edition."), YEAR_MISSING)
    if not digits:
        raise StandardNumberError(
            _(
                "The year after the dash is missing: give a four-digit year, or leave out "
                "the dash to mean the latest edition."
            ), YEAR_MISSING)
    if len(digits) == 2 and not international:
        year = 1900 + int(digits)  # GB 3100-93: two digits were only ever used for 19xx
    elif len(digits) == 4:
        year = int(digits)
    else:
        raise StandardNumberError(
            _("The year “%(year)s” must have four digits (two for standards of the "
              "1900s, such as GB 3100-93), for example 2020.") % {"year": _excerpt(digits)},
            YEAR_DIGITS)
    first = FIRST_INTERNATIONAL_YEAR if international else FIRST_YEAR
    last = _last_year()
    if not first <= year <= last:
        raise StandardNumberError(
            _("The year %(year)s is out of range: it must be between %(first)s and %(last)s.")
            % {"year": year, "first": first, "last": last}, YEAR_RANGE)
    return year
