"""Column widths of the PDF's detail table, computed from what the columns hold.

A standard number, a date or a system code must never wrap inside its cell, nor a header's
word or a short Chinese header; a long Chinese header wraps onto at most three lines;
titles and remarks wrap. So each column is at least as wide as the widest thing in
it that may not break (its "atoms": the whole value of a number or date column, each item
of a list column, the header), and the room left over goes to the columns that wrap, in
proportion to how much text they hold. Widths are measured with the advance widths of the
font the PDF uses (Noto Sans CJK SC), so no layout pass is needed to find them, and every
part of a table cut into parts gets the same columns.
"""

# Advance widths (1/1000 em) of U+0020…U+007E in Noto Sans CJK SC Regular and Bold
# (Debian fonts-noto-cjk, NotoSansCJK-{Regular,Bold}.ttc, read with fontTools' hmtx).
_REGULAR = (
    224, 323, 474, 555, 555, 921, 680, 278, 338, 338, 467, 555, 278, 347, 278, 392, 555, 555,
    555, 555, 555, 555, 555, 555, 555, 555, 278, 278, 555, 555, 555, 474, 946, 608, 657, 638,
    688, 589, 552, 689, 728, 293, 535, 646, 543, 812, 723, 742, 633, 742, 635, 596, 599, 721,
    575, 878, 573, 531, 603, 338, 392, 338, 555, 559, 606, 563, 618, 510, 620, 554, 325, 564,
    607, 275, 275, 552, 284, 926, 610, 606, 620, 620, 388, 468, 377, 607, 521, 802, 498, 521,
    475, 338, 270, 338, 555)
_BOLD = (
    227, 370, 574, 590, 590, 963, 740, 325, 378, 378, 507, 590, 325, 370, 325, 387, 590, 590,
    590, 590, 590, 590, 590, 590, 590, 590, 325, 325, 590, 590, 590, 514, 1007, 641, 681, 656,
    714, 615, 585, 717, 757, 330, 568, 686, 578, 853, 749, 770, 667, 770, 682, 624, 625, 748,
    619, 915, 627, 580, 613, 378, 387, 378, 590, 567, 626, 591, 644, 527, 644, 581, 372, 597,
    640, 304, 306, 604, 315, 964, 641, 626, 644, 644, 436, 495, 421, 637, 576, 863, 562, 574,
    511, 378, 296, 378, 590)
_OTHER = {"\u2014": 908, "\u2013": 544}  # em and en dash (the canonical year dash is "—")

# What each column of the detail table holds (registry.rules.tree.table_data.COLUMNS keys).
ONE_PIECE = {"seq", "code", "number", "level", "implemented_on", "status", "withdrawn_on"}
LISTS = {"adoption", "replaces"}   # ", "-separated items, each kept whole
TEXT = {"title", "remarks"}         # wraps anywhere (CJK) or between words
# A wrapping column is at least this many characters wide (in em) when it holds that much:
# a long remark reads as a few lines, not as a column of two-character lines.
TEXT_MIN_EM = {"title": 18, "remarks": 14}

# Safety on top of the measured width: kerning and rounding in the layout.
SLACK = 1.06


def text_width(text, size, bold=False):
    """Width of ``text`` in points at ``size`` points, on one line."""
    table = _BOLD if bold else _REGULAR
    units = 0
    for char in text:
        code = ord(char)
        if 0x20 <= code <= 0x7E:
            units += table[code - 0x20]
        elif char in _OTHER:
            units += _OTHER[char]
        else:  # CJK, full-width forms and the rest: a full em at most
            units += 1000
    return units * size / 1000


def atoms(key, value):
    """The pieces of a cell that must each stay on one line."""
    if not value:
        return ()
    if key in ONE_PIECE:
        return (value,)
    if key in LISTS:
        return tuple(item.strip() for item in value.split(","))
    return ()


# A Chinese header of up to this many characters stays on one line; a longer one may wrap
# onto up to ``HEADER_LINES`` lines, so a column that holds little (an empty 采用关系 or 代替)
# is as narrow as its header allows, not as wide as the header on one line.
WHOLE_HEADER = 5
HEADER_LINES = 3


def whole_header(label):
    """Whether a header is kept on one line (a short Chinese one)."""
    return not label.isascii() and len(label) <= WHOLE_HEADER


def header_atoms(label):
    """The pieces of a header that must each fit the column's width: an English header's
    words; a short Chinese header whole; a longer one in ``HEADER_LINES`` equal runs."""
    if label.isascii():
        return label.split()
    if whole_header(label):
        return [label]
    size = max(WHOLE_HEADER, -(-len(label) // HEADER_LINES))
    return [label[start:start + size] for start in range(0, len(label), size)]


def column_widths(keys, labels, rows, available, size, padding):
    """``{key: width in points}`` for a table ``available`` points wide whose cells have
    ``padding`` points of padding and border left and right together; ``rows`` are
    ``DetailRow``s with their ``cells`` (values in ``keys`` order).

    Columns that hold one piece get exactly their widest piece; a title or remarks column
    at least ``TEXT_MIN_EM``; the rest of the width goes to the wrapping columns in
    proportion to their average text, but none grows wider than its longest cell on one
    line, and the title takes what is left."""
    need, text = {}, {}
    for index, key in enumerate(keys):
        widest = max((text_width(a, size, bold=True) for a in header_atoms(str(labels[index]))),
                     default=0)
        total = 0
        longest = 0
        for row in rows:
            value = row.cells[index]
            for atom in atoms(key, value):
                widest = max(widest, text_width(atom, size))
            if key not in ONE_PIECE and value:
                width = text_width(value, size)
                total += width
                longest = max(longest, width)
        if key in TEXT_MIN_EM:
            widest = max(widest, min(longest, TEXT_MIN_EM[key] * size))
        need[key] = widest * SLACK + padding
        text[key] = (total / len(rows) if rows else 0, longest * SLACK + padding)
    widths = dict(need)
    flexible = [key for key in keys if key not in ONE_PIECE]
    spare = available - sum(widths.values())
    # Water-filling: share the spare width by average text; a column that reaches its
    # longest cell stops growing and its share goes round again.
    growing = [key for key in flexible if text[key][1] > widths[key]]
    while spare > 0.5 and growing:
        weight = sum(max(text[key][0], 1) for key in growing)
        given = 0
        for key in growing:
            share = spare * max(text[key][0], 1) / weight
            grant = min(share, text[key][1] - widths[key])
            widths[key] += grant
            given += grant
        spare -= given
        growing = [key for key in growing if text[key][1] - widths[key] > 0.5]
    if spare > 0:  # every column fits its longest cell: the title (or the last) takes the rest
        widths["title" if "title" in widths else keys[-1]] += spare
    elif spare < 0:
        # Pieces wider than the page together (a freak value): shrink every column alike
        # rather than run off the page; the widest pieces then overflow their cells.
        factor = available / sum(widths.values())
        widths = {key: width * factor for key, width in widths.items()}
    return widths
