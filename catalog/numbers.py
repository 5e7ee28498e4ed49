"""Parse and normalise Chinese standard numbers (标准编号).

This is the only place that knows the grammar; everything else stores and compares the
canonical form returned here.

Grammar (after clean-up, see below)::

    number  = code serial [ dash year ]
    code    = "GB" [ "/T" | "/Z" ]                 national: mandatory / recommended / guidance
            | INDUSTRY [ "/T" | "/Z" ]             industry, e.g. LD/T, AQ, JR/T, WS/T
            | "DB" region [ "/T" ]                 local, region = 2, 4 or 6 division digits
            | "T/" body                            group (团体), e.g. T/CAS
            | "Q/" body                            organization (企业), e.g. Q/CJSB
    serial  = digits { "." digits }                e.g. 1.1, 20000.1, 001 (zeros kept)
    year    = 4 digits, 1949 .. next year
    dash    = any of - ‐ ‑ ‒ – — ― −

Clean-up before matching: NFKC (full-width letters, digits, slash, dash and the
ideographic space become ASCII), invisible format characters are dropped, ASCII letters
are upper-cased, and whitespace is optional everywhere except where it is what tells
code from serial: ``DB65 1`` is DB65 + serial 1 (not region 651), and ``T/CAS2 1`` is
body CAS2 + serial 1 (glued, ``T/CAS21`` reads as T/CAS + serial 21).

An undated number (``GB/T 13016``) is valid and means "the latest edition applies".

The canonical form is ``{code} {serial}—{year}`` with U+2014 EM DASH and no spaces
around it (``GB/T 1.1—2020``, ``DB6523/T 370—2023``), or ``{code} {serial}`` when undated.
"""

from __future__ import annotations

import datetime
import re
import string
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Levels (级别); ``catalog.choices.Level`` labels these values.
NATIONAL = "national"
INDUSTRY = "industry"
LOCAL = "local"
GROUP = "group"
ORGANIZATION = "organization"
INTERNATIONAL = "international"  # ISO, IEC, ITU
FOREIGN = "foreign"  # national and regional standards of other countries: EN, BS, DIN, ANSI

# Nature (性质), read off the code's suffix.
MANDATORY = "mandatory"  # no suffix: GB, AQ, DB65
RECOMMENDED = "recommended"  # /T (推荐性)
GUIDANCE = "guidance"  # /Z (指导性技术文件)
VOLUNTARY = "voluntary"  # group and organization standards are adopted by choice

EM_DASH = "\u2014"
FIRST_YEAR = 1949  # no standard of the People's Republic predates it

# Industry-standard codes (行业标准代号) as published by SAC in the list of codes
# approved under the Measures for the Administration of Industry Standards.
# "DB" is also the code of the earthquake industry (地震, DB/T); it is only read as
# an industry code when a suffix follows directly, because DB + digits is a local code.
INDUSTRY_CODES = frozenset(
    """
    AQ BB CB CH CJ CY DA DB DL DZ EJ FZ GA GH GM GY HB HG HJ HS HY JB JC JG JR JT JY
    LB LD LS LY MH MT MZ NB NY QB QC QJ QX RB SB SC SF SH SJ SL SN SW SY TB TD TY WB
    WH WJ WM WS WW XB XF YB YC YD YJ YS YY YZ ZY
    """.split()
)

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
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"

# Only ASCII letters are upper-cased: str.upper() would turn e.g. "ß" into "SS" and
# let non-ASCII text sneak into a canonical number.
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)

# Code patterns, tried in this order at the start of the cleaned text. Explicit [0-9]
# and [A-Z] because \d would also accept other scripts' digits.
#
# T/ and Q/ bodies are letters and digits. When a space and the serial follow, the
# whole run is the body (it must contain a letter); otherwise (T/CAS115, T/CAS115 -2005)
# the body ends at its last letter, the only reading that leaves a serial.
_BODY_CODE = re.compile(
    r"(?P<prefix>[TQ])\s*/\s*"
    r"(?P<body>[A-Z0-9]*[A-Z][A-Z0-9]*(?=\s+[0-9])|[A-Z0-9]*[A-Z])"
)
_BODY_PREFIX = re.compile(r"[TQ]\s*/")
_LOCAL_CODE = re.compile(r"DB\s*(?P<region>[0-9]+)(?:\s*/\s*(?P<suffix>[A-Z]+))?")
_LETTER_CODE = re.compile(r"(?P<letters>[A-Z]+)(?:\s*/\s*(?P<suffix>[A-Z]+))?")
# For the "unknown code" message: what the user wrote where a code should be.
_NOT_CODE = r"[^\s0-9" + re.escape(_DASHES) + r"]"
_CODE_LIKE = re.compile(_NOT_CODE + r"+(?:\s*/\s*" + _NOT_CODE + r"*)?")

_SERIAL_RUN = re.compile(r"[0-9.]+")
_SERIAL = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_YEAR = re.compile(r"\s*[" + re.escape(_DASHES) + r"]\s*(?P<year>[0-9]*)")


class StandardNumberError(ValueError):
    """The text is not a standard number.

    The message is a translated, user-facing sentence saying what is wrong.
    """


@dataclass(frozen=True)
class StandardNumber:
    """A parsed standard number; build it with :func:`parse_standard_number`."""

    code: str  # "GB/T", "DB6523/T", "Q/CJSB"
    serial: str  # "1.1", "001"
    year: int | None  # None when undated
    level: str  # NATIONAL, INDUSTRY, LOCAL, GROUP or ORGANIZATION
    nature: str  # MANDATORY, RECOMMENDED, GUIDANCE or VOLUNTARY
    region_code: str = ""  # local standards only: "65", "6523", ...

    @property
    def undated(self) -> str:
        """The canonical form without the year: ``GB/T 1.1``."""
        return f"{self.code} {self.serial}"

    @property
    def canonical(self) -> str:
        if self.year is None:
            return self.undated
        return f"{self.undated}{EM_DASH}{self.year}"

    @property
    def is_dated(self) -> bool:
        return self.year is not None

    def __str__(self) -> str:
        return self.canonical


def parse_standard_number(text: str) -> StandardNumber:
    """Parse ``text`` leniently; raise :class:`StandardNumberError` saying what is wrong."""
    as_written = _clean(text)
    if not as_written:
        raise StandardNumberError(_("Enter a standard number, for example GB/T 1.1—2020."))
    # Same length as as_written, so positions carry over for quoting the user's text.
    cleaned = as_written.translate(_ASCII_UPPER)

    code, level, nature, region, pos = _parse_code(cleaned, as_written)

    pos = _skip_space(cleaned, pos)
    run = _SERIAL_RUN.match(cleaned, pos)
    if run is None:
        raise StandardNumberError(
            _("The serial number is missing after “%(code)s”, for example %(code)s 1234.")
            % {"code": code}
        )
    serial = run.group()
    if not _SERIAL.fullmatch(serial):
        raise StandardNumberError(
            _(
                "“%(serial)s” is not a valid serial number: use digits, optionally in "
                "dotted parts such as 1.1 or 20000.1."
            )
            % {"serial": serial}
        )
    pos = run.end()

    year = None
    dash = _YEAR.match(cleaned, pos)
    if dash is not None:
        year = _check_year(dash.group("year"))
        pos = dash.end()

    rest = as_written[pos:].strip()
    if rest:
        raise StandardNumberError(
            _("Unexpected text “%(rest)s” after the standard number “%(number)s”.")
            % {"rest": _excerpt(rest), "number": _excerpt(as_written[:pos].strip())}
        )
    return StandardNumber(code, serial, year, level, nature, region)


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


def _clean(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    # Zero-width spaces, soft hyphens and BOMs come along when copying from PDFs and Word.
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.strip()


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _excerpt(text: str, limit: int = 30) -> str:
    # Keep messages readable when someone pastes a whole paragraph.
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parse_code(text: str, as_written: str) -> tuple[str, str, str, str, int]:
    """Return (code, level, nature, region_code, end position) or raise.

    ``text`` is upper-cased for matching; ``as_written`` is quoted back in messages.
    """
    match = _BODY_CODE.match(text)
    if match:
        prefix = match.group("prefix")
        level = GROUP if prefix == "T" else ORGANIZATION
        return f"{prefix}/{match.group('body')}", level, VOLUNTARY, "", match.end()
    if _BODY_PREFIX.match(text):
        raise StandardNumberError(
            _(
                "“%(prefix)s/” must be followed by the code of the group or organization, "
                "for example T/CAS or Q/CJSB."
            )
            % {"prefix": text[0]}
        )

    match = _LOCAL_CODE.match(text)
    if match:
        region, suffix = match.group("region"), match.group("suffix")
        code = f"DB{region}" + (f"/{suffix}" if suffix else "")
        if len(region) not in (2, 4, 6):
            raise StandardNumberError(_local_code_message(code))
        if suffix not in (None, "T"):
            raise StandardNumberError(_unknown_code_message(code))
        return code, LOCAL, RECOMMENDED if suffix else MANDATORY, region, match.end()

    match = _LETTER_CODE.match(text)
    if match:
        letters, suffix = match.group("letters"), match.group("suffix")
        code = letters + (f"/{suffix}" if suffix else "")
        if letters == "DB" and suffix is None:
            # Neither a local code (no region digits) nor DB/T of the earthquake industry.
            raise StandardNumberError(_local_code_message(code))
        if letters == "GB":
            level = NATIONAL
        elif letters in INDUSTRY_CODES:
            level = INDUSTRY
        else:
            raise StandardNumberError(_unknown_code_message(code))
        nature = {None: MANDATORY, "T": RECOMMENDED, "Z": GUIDANCE}.get(suffix)
        if nature is None:
            raise StandardNumberError(_unknown_code_message(code))
        return code, level, nature, "", match.end()

    if text[0].isdigit():
        raise StandardNumberError(
            _(
                "“%(text)s” does not start with a standard code; write it as, for example, "
                "GB/T 1.1—2020."
            )
            % {"text": _excerpt(as_written)}
        )
    code_like = _CODE_LIKE.match(text)
    raise StandardNumberError(_unknown_code_message(code_like.group() if code_like else text))


def _unknown_code_message(code: str) -> str:
    return _(
        "“%(code)s” is not a known standard code (expected GB, GB/T, GB/Z, an industry "
        "code such as LD/T, DB + region code, T/… or Q/…)."
    ) % {"code": _excerpt(re.sub(r"\s+", "", code))}


def _local_code_message(code: str) -> str:
    return _(
        "“%(code)s” is not a valid local standard code: DB must be followed by the 2, 4 "
        "or 6-digit administrative division code, for example DB65/T or DB6523/T."
    ) % {"code": code}


def _check_year(digits: str) -> int:
    if not digits:
        raise StandardNumberError(
            _(
                "The year after the dash is missing: give a four-digit year, or leave out "
                "the dash to mean the latest edition."
            )
        )
    if len(digits) != 4:
        raise StandardNumberError(
            _("The year “%(year)s” must have four digits, for example 2020.")
            % {"year": _excerpt(digits)}
        )
    year = int(digits)
    last = datetime.date.today().year + 1  # standards are published ahead of their year
    if not FIRST_YEAR <= year <= last:
        raise StandardNumberError(
            _("The year %(year)s is out of range: it must be between %(first)s and %(last)s.")
            % {"year": year, "first": FIRST_YEAR, "last": last}
        )
    return year
