"""Request guards of the whole site."""

from django.http import Http404

from audit.params import MAX_ID


class PathIdsInRangeMiddleware:
    """A path id beyond what a database integer holds (``/projects/99999999999999999999/``)
    is "not found" for every view at once: the ``int`` converter accepts any length, and a
    lookup through a foreign key would overflow (SQLite) or raise (PostgreSQL)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
                raise Http404
        return None
