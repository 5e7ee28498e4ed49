"""System codes (体系编号), default scheme of docs/domain.md §1.

Subsystems 100, 200, 300; categories 101…, 201…, 301…; aspects ``201-01``, ``201-02`` and,
deeper, ``201-01-01``. A new node takes the next free code under its parent; codes are
never reused by a rename or a reorder.
"""

import re

_HUNDREDS = re.compile(r"^(\d+)00$")

# Any code a user may give, whatever the scheme: letters and digits joined by "-" or ".".
CODE_FORMAT = re.compile(r"^[0-9A-Za-z]+([.-][0-9A-Za-z]+)*$")


def child_code(parent_code, parent_depth, index):
    """The code of the ``index``-th (1-based) child of a node, per the default scheme."""
    if parent_depth == 1:
        return str(index * 100)
    if parent_depth == 2 and _HUNDREDS.match(parent_code):
        return str(int(parent_code) + index)
    return f"{parent_code}-{index:02d}"


def _index_of(code, parent_code, parent_depth):
    """The position number encoded in a child's code, or 0 when it follows another scheme."""
    if parent_depth == 1:
        return int(code) // 100 if code.isascii() and code.isdigit() and int(code) % 100 == 0 else 0
    if parent_depth == 2 and _HUNDREDS.match(parent_code):
        base = int(parent_code)
        if code.isascii() and code.isdigit() and base < int(code) < base + 100:
            return int(code) - base
        return 0
    prefix = f"{parent_code}-"
    suffix = code[len(prefix):] if code.startswith(prefix) else ""
    return int(suffix) if suffix.isascii() and suffix.isdigit() else 0


def next_child_code(parent, sibling_codes):
    """The next free code under ``parent`` given the codes its children already have."""
    used = [_index_of(code, parent.code, parent.depth) for code in sibling_codes]
    return child_code(parent.code, parent.depth, max(used, default=0) + 1)


def recode(old_code, old_prefix, new_prefix):
    """A descendant's code after its ancestor was re-coded from old_prefix to new_prefix."""
    if old_code == old_prefix:
        return new_prefix
    if old_code.startswith(old_prefix + "-"):
        return new_prefix + old_code[len(old_prefix):]
    return None
