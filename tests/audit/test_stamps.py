"""The history stamp (who and why) is set in one place, ``audit.actions.Action.record``:
no code outside ``audit/`` assigns ``_history_user`` or ``_change_reason`` by hand, so every
write goes through an action (tests and migrations are left out: they set up data)."""

import ast
from pathlib import Path

from django.conf import settings

STAMPS = {"_history_user", "_change_reason"}
SKIPPED = {"tests", "migrations", ".venv", "node_modules", "static"}


def _targets(node):
    """Every attribute name an assignment (plain, augmented, annotated, tuple, or
    ``setattr`` with a literal name) in ``node`` writes."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
          and node.func.id == "setattr" and len(node.args) >= 2
          and isinstance(node.args[1], ast.Constant)):
        return [node.args[1].value]
    else:
        return []
    names = []
    for target in targets:
        for part in ast.walk(target):
            if isinstance(part, ast.Attribute):
                names.append(part.attr)
    return names


def hand_set_stamps(root):
    """``path:line`` of every stamp assigned outside ``audit/`` under ``root``."""
    found = []
    for path in sorted(Path(root).rglob("*.py")):
        relative = path.relative_to(root)
        if (relative.parts[0] == "audit" or relative.parts[0].startswith(".")
                or SKIPPED & set(relative.parts[:-1])):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if STAMPS & set(_targets(node)):
                found.append(f"{relative}:{node.lineno}")
    return found


def test_no_stamp_is_set_by_hand_outside_audit():
    assert hand_set_stamps(settings.BASE_DIR) == []


def test_the_scan_finds_every_form_of_assignment(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text(
        "link._history_user, link._change_reason = user, reason\n"
        "obj._change_reason = form.cleaned_data['change_reason']\n"
        "setattr(obj, '_history_user', user)\n"
        "user = obj._history_user  # a read is no stamp\n", encoding="utf-8")
    for skipped in ("audit", "tests", "migrations"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "x.py").write_text("obj._change_reason = 'x'\n", encoding="utf-8")
    assert hand_set_stamps(tmp_path) == ["app/views.py:1", "app/views.py:2", "app/views.py:3"]
