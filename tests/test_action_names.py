"""Action class names follow one verb scheme (docs/architecture.md, "Action names").

Records take the verbs of Django's permissions: ``Add``, ``Change``, ``Delete``, and ``Save``
for one action that both adds and changes through one form. Steps of the work take the
domain's verb. A new action with another verb fails here: add the verb to the scheme (and
to the document) only when none of these says what it does."""

import importlib
import pkgutil
import re

from audit.actions import Action

RECORD_VERBS = {"Add", "Change", "Delete", "Save"}
DOMAIN_VERBS = {
    "Apply", "Assign", "Close", "Copy", "Decide", "Derive", "Freeze", "Link", "Mark", "Move",
    "Open", "Order", "Place", "Publish", "Raise", "Remove", "Reorder", "Replace", "Restore",
    "Revoke", "Seed", "Set", "Sign", "Start", "Submit", "Take", "Upload",
}
APPS = ("audit", "organizations", "catalog", "registry", "texts", "lifecycle")


def _import_all():
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module.name or ".settings" in module.name:
                continue
            importlib.import_module(module.name)


def _actions(cls=Action):
    for sub in cls.__subclasses__():
        yield sub
        yield from _actions(sub)


def concrete_actions():
    _import_all()
    return sorted({cls for cls in _actions() if not getattr(cls, "__abstractmethods__", None)
                   and cls.__module__.split(".")[0] in APPS}, key=lambda c: c.__name__)


def verb(name):
    return re.match(r"[A-Z][a-z]+", name).group(0)


def test_every_action_name_starts_with_a_verb_of_the_scheme():
    allowed = RECORD_VERBS | DOMAIN_VERBS
    wrong = [f"{cls.__module__}.{cls.__name__}" for cls in concrete_actions()
             if verb(cls.__name__) not in allowed]
    assert wrong == []


def test_the_scheme_is_used_and_refuses_other_verbs():
    names = {cls.__name__ for cls in concrete_actions()}
    assert {"AddNode", "ChangeNode", "DeleteNode", "SaveStandard", "PublishStandard"} <= names
    assert verb("EditNode") not in RECORD_VERBS | DOMAIN_VERBS
    assert verb("CreateApiToken") not in RECORD_VERBS | DOMAIN_VERBS
