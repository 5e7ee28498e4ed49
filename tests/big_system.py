"""A large standard system for benches and layout tests, bulk-inserted (no history rows).

Its detail table has about ``rows`` rows and looks like a real bureau's: numbers of the
codes and shapes real catalogues print (national with parts, industry, local of a region
and of a prefecture, group, enterprise), titles of one to three lines, some long remarks,
adopted international standards, replaced editions outside the table, withdrawn standards,
and an open aspect in every ten. Deterministic: the same ``rows`` gives the same system.
"""

import random
from datetime import date

from catalog.models import Standard, Supersession
from catalog.rules.numbers import parse_standard_number
from registry.models import Node, Placement
from tests.factories import build_tree

CODES = ("GB/T", "GB/T", "GB", "LD/T", "MZ/T", "AQ/T", "DB65/T", "DB6523/T", "T/CECS",
         "Q/CJSB")
SUBJECTS = ("社会保险", "基本养老保险", "失业保险", "工伤保险", "城乡居民基本医疗保险",
            "企业职工基本养老保险", "社会保障卡", "劳动能力鉴定", "经办服务大厅", "信息系统")
TOPICS = ("经办服务规范", "待遇核定与发放要求", "参保登记业务规程", "数据交换接口规范",
          "服务质量评价指标", "档案管理要求", "基金财务核算规范", "业务风险防控指南",
          "窗口服务礼仪", "稽核工作规程", "电子凭证技术要求", "统计指标体系")
PARTS = ("通用要求", "术语", "数据元", "代码集", "接口", "安全要求")
REMARKS = ("与本体系 201-03 配套使用",
           "修订中，征求意见稿已于2024年发布；新版发布后替换本条目，并同步修订相关经办规程和表单",
           "自治州级实施细则另行制定",
           "部分条款已由第1号修改单修改，执行时应一并使用修改单；适用于州本级和各县市经办机构")
ADOPTED = ("ISO 9001:2015", "ISO/IEC 27001:2022", "ISO 10002:2018", "IEC 60364-1:2005",
           "ISO 18295-1:2017")


def _number(rng, taken):
    while True:
        code = rng.choice(CODES)
        if code.startswith("GB"):
            serial = str(rng.randint(2000, 39999))
            if rng.random() < 0.3:
                serial += f".{rng.randint(1, 12)}"
        else:
            serial = f"{rng.randint(1, 999):03d}" if code.startswith("Q/") else \
                str(rng.randint(1, 4999))
        text = parse_standard_number(f"{code} {serial}-{rng.randint(1995, 2024)}").canonical
        if text not in taken:
            taken.add(text)
            return text


def _standard(number, **fields):
    parsed = parse_standard_number(number)
    return Standard(number=number, code=parsed.code, serial=parsed.serial, year=parsed.year,
                    level=parsed.level, **fields)


def _title(rng):
    title = rng.choice(SUBJECTS) + rng.choice(TOPICS)
    if rng.random() < 0.35:
        title += f" 第{rng.randint(1, 9)}部分：{rng.choice(SUBJECTS)}{rng.choice(PARTS)}"
    if rng.random() < 0.15:
        title += "及" + rng.choice(SUBJECTS) + rng.choice(TOPICS)
    return title


def build_big_system(rows=1000, name="基准体系"):
    """The root of a new system whose detail table has ``rows`` rows (placements and open
    aspects), about 25 placements per category."""
    rng = random.Random(rows)
    aspects_per_category = 25
    gaps = rows // 10
    placed_aspects = (rows - gaps) * 2 // 3   # some aspects hold two or three standards
    categories = max(1, -(-(gaps + placed_aspects) // aspects_per_category))
    subsystems = min(4, categories)
    per_subsystem = -(-categories // subsystems)
    root = build_tree(name, subsystems, per_subsystem, aspects_per_category)
    aspects = list(Node.objects.filter(path__startswith=root.path, depth=4).order_by("path"))
    gap_aspects = set(range(0, len(aspects), max(1, len(aspects) // gaps)))
    holders = [a for i, a in enumerate(aspects) if i not in gap_aspects]
    open_aspects = len(aspects) - len(holders)
    placements = rows - open_aspects
    taken = set(Standard.objects.values_list("number", flat=True))
    standards, older = [], []
    for index in range(placements):
        fields = {
            "title": _title(rng),
            "implemented_on": date(rng.randint(1996, 2025), rng.randint(1, 12),
                                   rng.randint(1, 28)),
        }
        if index % 5 == 0:
            fields["remarks"] = REMARKS[index // 5 % len(REMARKS)]
        if index % 20 == 7:
            fields["adopted_number"] = ADOPTED[index % len(ADOPTED)]
            fields["adoption_degree"] = ("IDT", "MOD", "NEQ")[index % 3]
        if index % 33 == 5:
            fields["withdrawn_on"] = date(2024, 6, 1)
        standards.append(_standard(_number(rng, taken), **fields))
        if index % 10 == 3:  # a replaced edition, in the catalog but not in the table
            old = standards[-1].number.rsplit("—", 1)[0] + f"—{rng.randint(1990, 1994)}"
            if old not in taken:
                taken.add(old)
                older.append((index, _standard(old, title=fields["title"])))
    Standard.objects.bulk_create(standards + [old for _index, old in older], batch_size=500)
    Supersession.objects.bulk_create(
        Supersession(new=standards[index], old=old) for index, old in older)
    Placement.objects.bulk_create(
        (Placement(node=holders[i % len(holders)], standard=standard)
         for i, standard in enumerate(standards)), batch_size=500)
    return root
