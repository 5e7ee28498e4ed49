"""Pages do not grow their query count with the size of the tree."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Node
from tests.factories import StandardFactory, build_tree, place

MAX_QUERIES = 12


@pytest.fixture
def big_tree(db):
    """About 2,000 nodes with standards on a few hundred aspects."""
    root = build_tree(subsystems=4, categories=10, aspects=49)
    for node in Node.objects.filter(depth=4)[:300]:
        place(node, StandardFactory())
    return root


def count_queries(client, url):
    """Queries of a request once the session and the permissions are in the cache (a
    first request of a session also reads them from the database)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_tree_page_queries_are_bounded_at_2000_nodes(
    big_tree, client_for, django_assert_max_num_queries
):
    assert Node.objects.count() >= 2000
    client = client_for("viewer")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("registry:tree"))
    assert response.status_code == 200
    assert response.content.count(b' data-node="') == Node.objects.count()
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("registry:tree"), {"q": "方面4-10-49"})


def test_query_count_does_not_depend_on_tree_size(db, client_for):
    client = client_for("viewer")
    small_root = build_tree("小体系", subsystems=2, categories=2, aspects=3)
    small = count_queries(client, reverse("registry:tree") + f"?root={small_root.pk}")
    large_root = build_tree("大体系", subsystems=4, categories=8, aspects=40)
    large = count_queries(client, reverse("registry:tree") + f"?root={large_root.pk}")
    assert small == large


def test_node_and_catalog_pages_are_bounded(big_tree, client_for, django_assert_max_num_queries):
    client = client_for("office")
    category = Node.objects.filter(depth=3).first()
    for url in (
        reverse("registry:node_detail", args=[big_tree.pk]),
        reverse("registry:node_detail", args=[category.pk]),
        reverse("registry:standard_list"),
        reverse("registry:standard_list") + f"?node={category.pk}&status=current",
        reverse("registry:node_move", args=[category.pk]),
    ):
        with django_assert_max_num_queries(MAX_QUERIES + 3):
            assert client.get(url).status_code == 200
