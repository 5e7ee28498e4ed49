"""Server time and query count of the comparison page and of the tree page (issue 24) for a
prefecture and its counties, each with a system of 2,005 nodes derived from the prefecture's
template, one aspect in five holding a standard; at 1, 2 and 8 organizations. The tree page
shows the prefecture's own system: the other organizations' nodes must not slow it.

Run: ``.venv/bin/python bench/comparison.py`` (SQLite in memory) or with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry`` (a throw-away test database
``test_registry`` is created and dropped). Prints one line per number of organizations.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RUNS = 10
COUNTIES = [("652301", "昌吉市"), ("652302", "阜康市"), ("652323", "呼图壁县"),
            ("652324", "玛纳斯县"), ("652325", "奇台县"), ("652327", "吉木萨尔县"),
            ("652328", "木垒县")]


def measure(client, url):
    client.get(url)  # warm caches and template loading
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), max(timings), len(queries)


def derived_tree(organization, template_nodes, standards):
    """A 2,005-node tree for ``organization`` linked to the template by code (bench data:
    bulk-written, no history)."""
    from registry.models import Node
    from tests.factories import build_tree, place

    root = build_tree(f"bench {organization.code}", 4, 10, 49, organization=organization)
    nodes = list(Node.objects.filter(owner=organization))
    for node in nodes:
        node.template_node_id = template_nodes.get((node.code, node.depth))
    Node.objects.bulk_update(nodes, ["template_node"], batch_size=500)
    aspects = [n for n in nodes if n.depth == 4]
    for node, standard in zip(aspects[::5], standards, strict=False):
        place(node, standard)
    return root


def main():
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from organizations.models import Organization
        from registry.models import Node, Template, TemplateNode
        from tests.factories import (
            StandardFactory,
            UserFactory,
            build_tree,
            default_organization,
            give_role,
        )

        prefecture = default_organization()
        admin = give_role(UserFactory(username="bench"), "lead", prefecture).user
        standards = [StandardFactory() for _ in range(400)]
        template = Template.objects.create(edition="bench", title="bench")
        # The template: the shape every tree has (codes by depth), frozen once.
        shape = build_tree("shape", 4, 10, 49, organization=Organization.objects.create(
            name="shape", code="659999"))
        frozen = {}
        for node in Node.objects.filter(path__startswith=shape.path).order_by("path"):
            parent = frozen.get(node.path[:-Node.steplen]) if node.depth > 1 else None
            frozen[node.path] = TemplateNode.objects.create(
                template=template, parent=parent, depth=node.depth, position=1,
                code=node.code, name=node.name)
        Node.objects.filter(path__startswith=shape.path).delete()
        Organization.objects.filter(code="659999").delete()
        by_code = {(t.code, t.depth): t.pk for t in frozen.values()}

        client = Client()
        client.force_login(admin)
        print(f"database: {connection.vendor}; {RUNS} runs each; server time via test client")
        print(f"{'page':>12} {'organizations':>13} {'nodes':>7} {'p50 ms':>8} {'max ms':>8} "
              f"{'queries':>8}")
        derived_tree(prefecture, by_code, standards)
        counties = iter(COUNTIES)
        for wanted in (1, 2, 8):
            while Organization.objects.count() < wanted:
                code, name = next(counties)
                county = Organization.objects.create(name=f"{name}社会保险中心", code=code,
                                                     parent=prefecture)
                derived_tree(county, by_code, standards)
            for page, url in (("comparison", "/comparison/"), ("tree", "/")):
                p50, worst, queries = measure(client, url)
                print(f"{page:>12} {wanted:>13} {Node.objects.count():>7} {p50:>8.1f} "
                      f"{worst:>8.1f} {queries:>8}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
