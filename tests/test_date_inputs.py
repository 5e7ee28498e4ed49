"""Every date field of every form is drawn by ``audit.forms.DateInput``, which writes the
value as YYYY-MM-DD whatever the language: a browser's date picker shows nothing for any
other form (``value="2026/11/30"`` is an empty field in Chromium). The browser test
``tests/browser/test_forms_in_browser.py`` shows the values on the pages themselves."""

import importlib
import inspect
import pkgutil

import django_filters
from django import forms

from audit.forms import DateInput

FORM_MODULES = ["audit.forms", "audit.filtersets", "catalog.filtersets",
                "registry.filtersets", "lifecycle.filtersets"]


def modules():
    names = list(FORM_MODULES)
    for package in ("catalog.forms", "registry.forms", "lifecycle.forms"):
        root = importlib.import_module(package)
        names += [f"{package}.{m.name}" for m in pkgutil.iter_modules(root.__path__)]
    return [importlib.import_module(name) for name in names]


def date_fields():
    for module in modules():
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            if issubclass(cls, forms.BaseForm):
                fields = cls.base_fields.items()
            elif issubclass(cls, django_filters.FilterSet):
                fields = ((n, f.field) for n, f in cls.base_filters.items())
            else:
                continue
            for field_name, field in fields:
                if isinstance(field, forms.DateField | forms.DateTimeField):
                    yield f"{module.__name__}.{name}.{field_name}", field


def test_every_date_field_renders_iso():
    found = dict(date_fields())
    assert "lifecycle.forms.projects.CommentPeriodForm.starts_on" in found
    wrong = [name for name, field in found.items()
             if not isinstance(field.widget, DateInput | forms.HiddenInput)]
    assert not wrong, f"date fields not drawn by audit.forms.DateInput: {wrong}"
