"""The texts API (``/api/texts/``). Its one import of registry is here, where the import
contract allows it (pyproject.toml: ``texts.api -> registry.actions``): the site's jobs,
which queue a text's Word and PDF files."""

from registry.actions import StartDocument

__all__ = ["StartDocument"]
