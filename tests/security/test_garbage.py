"""No 500 on any input: every URL pattern, as every role, with garbage in every path id and in
every query parameter the view reads.

The walk: for each pattern of the root URLconf (the admin's own regex patterns aside), the path
parameters are filled first with ids that exist (to reach the view's code), and the query
parameters the view reads are recorded by watching ``request.GET`` during that request. Then
each path parameter and each recorded query parameter in turn gets each garbage value, and
all query parameters at once; a parameter given twice too. Any 500 (or exception) fails.
Run on PostgreSQL as well (DATABASE_URL): out-of-range integers, NUL characters and
values too long raise there where SQLite does not.
"""

import re
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.security.conftest import make_records

pytestmark = pytest.mark.slow

GARBAGE = [
    "abc", "-1", "0", "1.5", "99999999999999999999", "9223372036854775808", "²", "١٢",
    "标准\u202e", "\x00", "", " ", "x" * 3000, "2024-13-45", "0001-01-01", "9999-12-31",
    "../../etc/passwd", "<script>", "'; --", "null", "[]",
]
PATH_GARBAGE = ["abc", "-1", "0", "99999999999999999999", "9223372036854775808", "²",
                "标准", "%00", "x" * 300]
# For the roles that are not walked thoroughly: an id is looked up by the same code whoever
# asks, so one value of each kind (text, negative, out of range, NUL) is enough.
PATH_GARBAGE_SHORT = ["abc", "-1", "99999999999999999999", "%00"]
# Values that reach the view's code for each kind of path parameter.
VALID = {"int": ["1", "2", "3"], "year": [], "str": ["registry.node", "catalog.standard",
                                                  "pdf", "xlsx", "workrule", "submit"],
         "path": ["1"], "slug": ["a"]}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# One value of each kind that parses differently, for each query parameter alone: numbers
# out of range, digits int() reads or refuses, NUL, the empty string, overlong text and
# impossible or extreme dates. The others are text as any text is ("abc" stands for them);
# they go in all parameters at once.
ALONE = ["abc", "-1", "0", "1.5", "99999999999999999999", "²", "١٢", "\x00", "", "x" * 3000,
         "2024-13-45", "0001-01-01", "9999-12-31"]
ROLES = ("admin", "office", "lead", "expert", "viewer", "norole", None)
# Walked with each query parameter alone: the administrator reaches every view (the office's
# pages are the same views with fewer buttons); the others get all parameters at once.
THOROUGH = ("admin",)


def patterns(resolver=None, prefix=""):
    """Every route of the URLconf as a string with its <converter:name> parameters."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if route.startswith("^"):
            continue  # the admin's regex patterns (app index): no ids to fill
        if isinstance(entry, URLResolver):
            yield from patterns(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def fill(route, values):
    def value(match):
        return quote(values.get(match["name"], "1"), safe="")

    return "/" + PARAMETER.sub(value, route)


def candidates(route):
    """Path values that may exist, per parameter (the first that answers 200 wins)."""
    this_year = str(timezone.localdate().year)
    options = {}
    for match in PARAMETER.finditer(route):
        converter = match["converter"] or "str"
        options[match["name"]] = [this_year] if match["name"] == "year" else VALID.get(
            converter, ["1"])
    return options


class Recorder:
    """Watches which query parameters a view reads."""

    def __init__(self, monkeypatch):
        self.keys = None
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            original = getattr(QueryDict, method)
            monkeypatch.setattr(QueryDict, method, self._wrap(original))

    def _wrap(self, original):
        recorder = self

        def watched(self, key, *args, **kwargs):
            if recorder.keys is not None and isinstance(key, str):
                recorder.keys.add(key)
            return original(self, key, *args, **kwargs)

        return watched

    def record(self, call):
        self.keys = set()
        try:
            return call()
        finally:
            keys, self.keys = self.keys, None
            self.recorded = keys - {"csrfmiddlewaretoken"}


@pytest.fixture
def garbage_data(seeded, users):
    make_records(users)


def request(client, url, failures, query=""):
    full = url + ("?" + query if query else "")
    try:
        response = client.get(full)
    except Exception as exc:  # noqa: BLE001 — any exception is the failure we look for
        failures.append(f"{full[:200]} raised {type(exc).__name__}: {str(exc)[:200]}")
        return None
    if response.status_code >= 500:
        failures.append(f"{full[:200]} → {response.status_code}")
    return response


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_no_500_on_garbage(role, client, users, garbage_data, monkeypatch):
    if role:
        client.force_login(users[role] if role in users else
                           get_user_model().objects.get(username=role))
    recorder = Recorder(monkeypatch)
    failures = []
    for route in patterns():
        if route == "accounts/logout/":
            continue  # would end the session the walk runs in
        options = candidates(route)
        # The first combination of existing ids that answers 200 (or the first one).
        values = {name: choices[0] for name, choices in options.items()}
        keys = set()
        for index in range(3):
            trial = {name: choices[min(index, len(choices) - 1)]
                     for name, choices in options.items()}
            trial_url = fill(route, trial)
            response = recorder.record(lambda u=trial_url: request(client, u, failures))
            keys |= recorder.recorded
            if response is not None and response.status_code == 200:
                values = trial
                break
        url = fill(route, values)
        # The admin site's own parameters (Django's code) get them all at once.
        thorough = role in THOROUGH and not route.startswith("admin/")
        # Garbage in each path parameter.
        for name in options:
            for junk in PATH_GARBAGE if role in THOROUGH else PATH_GARBAGE_SHORT:
                request(client, fill(route, {**values, name: junk}), failures)
        if not keys:
            continue
        for junk in GARBAGE:
            request(client, url, failures, urlencode({key: junk for key in sorted(keys)}))
            if thorough and junk in ALONE:
                for key in sorted(keys):
                    request(client, url, failures, urlencode({key: junk}))
        for key in sorted(keys):  # repeated, and a value that parses next to one that does not
            request(client, url, failures, urlencode([(key, "1"), (key, "abc"), (key, "")]))
    assert not failures, "\n".join(failures)
