"""The import rules (docs/architecture.md, "Folders and the import rule") hold, and
import-linter would notice if they did not: each case copies the apps' Python files to a
temporary folder, adds one forbidden import, and runs ``lint-imports`` there."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

APPS = ("audit", "organizations", "catalog", "registry", "texts", "lifecycle")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("apps")
    base = Path(settings.BASE_DIR)
    for app in APPS:
        shutil.copytree(base / app, root / app,
                        ignore=shutil.ignore_patterns("__pycache__", "templates", "static",
                                                      "*.json", "*.css"))
    shutil.copy(base / "pyproject.toml", root / "pyproject.toml")
    return root


def lint(root):
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True,
                          text=True, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
                          timeout=300)


def models_module(root, app):
    package = root / app / "models" / "__init__.py"
    return package if package.exists() else root / app / "models.py"


def with_line(path, line):
    """A context in which ``path`` ends with ``line``."""
    original = path.read_text(encoding="utf-8")

    class Added:
        def __enter__(self):
            path.write_text(original + f"\n{line}\n", encoding="utf-8")

        def __exit__(self, *exc):
            path.write_text(original, encoding="utf-8")

    return Added()


def test_the_rules_hold(copy):
    result = lint(copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("lower, upper", [("audit", "organizations"),
                                          ("organizations", "catalog"),
                                          ("catalog", "registry"), ("registry", "texts"),
                                          ("texts", "lifecycle")])
def test_an_upward_import_between_apps_is_refused(copy, lower, upper):
    with with_line(models_module(copy, lower), f"import {upper}.models  # noqa"):
        result = lint(copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and f"{lower}" in result.stdout


@pytest.mark.parametrize("app", APPS)
def test_library_code_importing_a_view_is_refused(copy, app):
    with with_line(models_module(copy, app), f"import {app}.views  # noqa"):
        result = lint(copy)
    assert result.returncode != 0
    assert f"{app}.views" in result.stdout


@pytest.mark.parametrize("app", APPS)
def test_an_upward_import_inside_an_app_is_refused(copy, app):
    """Inside each app: models → rules → actions → forms → views; models importing the
    actions is refused."""
    with with_line(models_module(copy, app), f"import {app}.actions  # noqa"):
        result = lint(copy)
    assert result.returncode != 0
    assert f"{app}.actions" in result.stdout
