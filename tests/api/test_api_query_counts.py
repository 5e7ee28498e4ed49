"""API lists do not grow their query count with the size of the data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import Node
from tests.factories import StandardFactory, build_tree, place

URLS = ["/api/nodes/?page_size=500", "/api/placements/?page_size=500",
        "/api/standards/?page_size=500", "/api/log/?page_size=500"]


def counts(api, root):
    api.get("/api/numbers/?number=GB/T 1.1")  # the token's "last used" is noted once
    result = {}
    for url in [f"/api/tree/?node={root.pk}", f"/api/nodes/{root.pk}/", *URLS]:
        api.get(url)  # warm: the permission set is then read from the cache
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url)
        assert response.status_code == 200, url
        result[url.split("?")[0].replace(str(root.pk), "<root>")] = len(queries)
    return result


def grow(subsystems, categories, aspects, placed):
    root = build_tree(subsystems=subsystems, categories=categories, aspects=aspects)
    for node in Node.objects.filter(depth=4, path__startswith=root.path)[:placed]:
        place(node, StandardFactory())
    return root


def test_list_queries_do_not_grow_with_the_data(db, api_for):
    api = api_for("viewer")
    small = counts(api, grow(1, 2, 3, 4))
    large = counts(api, grow(4, 10, 12, 400))
    assert large == small
    assert max(large.values()) <= 12
