"""Reading the term list (clause 3)."""

from django.db.models import Q


def search_terms(terms, query):
    """``terms`` whose term, English term or definition contains ``query`` (all of them
    when it is blank): the search of the terms page and of the API."""
    query = query.strip()
    if not query:
        return terms
    return terms.filter(Q(term__icontains=query) | Q(term_en__icontains=query)
                        | Q(definition__icontains=query))
