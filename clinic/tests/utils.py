"""Small helpers for the page tests."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url: str, **params) -> int:
    """How many queries one GET of ``url`` makes, on a cold cache."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def is_fragment(response) -> bool:
    """An HTMX fragment: the results partial only, not the whole page."""
    return "<html" not in response.text and 'id="results"' not in response.text
