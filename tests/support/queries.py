"""Query-count tests of list pages: the page answers, lists the rows it should, and asks
the database no more as the rows grow.

`assert_list_queries_flat` fetches a page twice, around a call that adds rows, with the
anonymous page cache turned off: a page served from the cache would make no query at all
and hide both an N+1 and a broken invalidation. Each fetch must answer 200, the second
must list exactly the rows the first listed plus those added (so a page that lists
nothing cannot pass), and the second must make no more queries than the first, which
itself stays under `most`.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings


def _fetch(client, url, data):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    return response, len(queries)


def page_rows(response):
    """The rows of a paginated list page (its context's `page`)."""
    return len(response.context["page"])


def assert_list_queries_flat(client, url, *, grow, rows=page_rows, most, data=None):
    """`grow()` adds rows and returns how many more the page should list; `rows(response)`
    counts those a response lists. Returns the second response."""
    with override_settings(HUB_PAGE_CACHE_SECONDS=0):
        first, few = _fetch(client, url, data)
        assert first.status_code == 200, (url, first.status_code)
        before = rows(first)
        added = grow()
        assert added > 0, "grow() must add rows the page lists"
        second, many = _fetch(client, url, data)
    assert second.status_code == 200, (url, second.status_code)
    assert rows(second) == before + added, (url, before, added, rows(second))
    assert few <= most, f"{url}: {few} queries with {before} rows (at most {most})"
    assert many <= few, f"{url}: {few} queries with {before} rows, {many} with {before + added}"
    return second
