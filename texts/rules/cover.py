"""What a standard's cover prints above its number, read off the number (GB/T 1.1-2020
8.1): the code mark set large at the top right ("GB", "DB 6523", "T/CAS") and the line
naming the kind of standard ("中华人民共和国国家标准", "昌吉回族自治州地方标准"). The Word
and PDF writers both print them."""

import re
from dataclasses import dataclass

from catalog.rules.numbers import (
    GROUP,
    GUIDANCE,
    INDUSTRY,
    LOCAL,
    NATIONAL,
    ORGANIZATION,
    StandardNumberError,
    parse_standard_number,
    region_name,
)
from texts.rules.structure import Document

# The industries whose standards the bureau cites, by their code (GB/T 1.1-2020 8.1.2
# prints the industry's name in the kind line).
INDUSTRIES = {"LD": "劳动和社会保障", "MZ": "民政", "WS": "卫生", "AQ": "安全生产",
              "GA": "公共安全", "JR": "金融", "JT": "交通", "XF": "消防救援"}

# The agency a local issuer's name ends with; what stands before it names the region.
_AGENCY = re.compile(r"(市场监督管理局|市场监督管理厅|质量技术监督局|标准化管理委员会|"
                     r"标准化研究院|人民政府)$")


@dataclass(frozen=True)
class Cover:
    mark: str  # the code printed large top right: "GB", "DB 6523", "Q/CJSB"
    kind: str  # "中华人民共和国国家标准", "昌吉回族自治州地方标准", "企业标准"


def cover_of(document: Document) -> Cover:
    """The code mark and the kind line of the cover; a local standard's region from its
    division code, else from the issuer; a number the parser refuses (a draft's
    "GB/T ×××××—××××") by its prefix."""
    try:
        parsed = parse_standard_number(document.number)
    except StandardNumberError:
        return _cover_by_prefix(document)
    code = parsed.code
    if parsed.level == NATIONAL:
        if parsed.nature == GUIDANCE:
            return Cover("GB/Z", "中华人民共和国国家标准化指导性技术文件")
        return Cover(code.split("/")[0], "中华人民共和国国家标准")
    if parsed.level == LOCAL:
        region = parsed.region_name or _issuer_region(document.issuer)
        mark = f"DB {parsed.region_code}" if parsed.region_code else code.split("/")[0]
        return Cover(mark, f"{region}地方标准")
    if parsed.level == INDUSTRY:
        industry = code.split("/")[0]
        return Cover(industry, f"中华人民共和国{INDUSTRIES.get(industry, '')}行业标准")
    if parsed.level == GROUP:
        return Cover(code, "团体标准")
    if parsed.level == ORGANIZATION:
        return Cover(code, "企业标准")
    return Cover(code, "")


def _cover_by_prefix(document: Document) -> Cover:
    text = document.number.strip().upper()
    mark = text.split()[0] if text else ""
    if text.startswith("GB"):
        return Cover("GB", "中华人民共和国国家标准")
    local = re.match(r"DB(\d{2,6})", text)  # DB/T alone is the earthquake industry's
    if local:
        return Cover(f"DB {local[1]}",
                     f"{region_name(local[1]) or _issuer_region(document.issuer)}地方标准")
    if text.startswith("Q/"):
        return Cover(mark, "企业标准")
    if text.startswith("T/"):
        return Cover(mark, "团体标准")
    return Cover(mark, "")


def _issuer_region(issuer: str) -> str:
    """"新疆维吾尔自治区" of "新疆维吾尔自治区市场监督管理局"; "" when the issuer names none."""
    first = (issuer or "").split()[0] if (issuer or "").split() else ""
    match = _AGENCY.search(first)
    return first[:match.start()] if match else ""
