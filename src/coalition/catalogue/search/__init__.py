"""Catalogue search: one narrow interface, one backend per engine.

Views, the API and exports call only what is defined here; a backend (SQLite FTS5,
PostgreSQL tsvector + GIN, later OpenSearch) implements `Backend`:

    from coalition.catalogue import search

    result = search.search(search.Query(
        text='"open textbook" biolog*',       # words, "phrases", prefix*, -excluded
        filters={"licence": ["open"], "language": ["fr", "ar"]},  # OR within, AND across
        sort="relevance",                      # or "date" (newest first)
        page=1, per_page=20,
    ))
    result.work_ids          # this page, in order (load with selectors.works_for_page)
    result.total             # exact up to COUNT_LIMIT …
    result.total_is_lower_bound   # … past it: show "more than 10,000"
    result.facets            # {"licence": [("open", 812), …], …} every facet, counts desc
                             # (a facet with a selection is counted without its own
                             # filter: ticking one more value adds what its count says)
    result.facets_are_lower_bounds  # past 10,000 matches: counted over the first 10,001

Facets (`FACETS`): licence (class code), language (primary subtag: "fr", "zh"), type
(learning resource type code), level (educational level code), subject (the primary
record's subjects as written, first 64 characters), year (of publication), source (source id),
area (action area number), region (UNESCO region code of the source's organization).

Writing: `index_works(work_ids)` (re)writes the entries of those works (called by the
record services after every change, in the same transaction), `rebuild()` rewrites all.
Only visible works are indexed: not deleted, with a published, non-deleted record.
"""

import hashlib
import json
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.db import connection

FACETS = ("licence", "language", "type", "level", "subject", "year", "source", "area", "region")
# Longest facet value kept (a filter value is cut the same way, so the two still match).
FACET_VALUE_CHARS = 64
COUNT_LIMIT = 10_000
MAX_PAGE = 500


@dataclass
class Query:
    text: str = ""
    filters: dict = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    with_facets: bool = True

    def clean_filters(self):
        """Known facets only, values as short strings; unknown input is ignored."""
        clean = {}
        for name, values in (self.filters or {}).items():
            if name not in FACETS:
                continue
            if isinstance(values, str | int):
                values = [values]
            kept = [
                str(v).replace("\x00", "").strip()[:FACET_VALUE_CHARS]
                for v in values
                if str(v).strip()
            ][:10]
            if kept:
                clean[name] = kept
        return clean

    def without(self, name):
        """This query without the filter of one facet (to count that facet's values)."""
        filters = {key: values for key, values in self.clean_filters().items() if key != name}
        return replace(self, filters=filters)

    @property
    def offset(self):
        return (self.bounded_page - 1) * self.bounded_per_page

    @property
    def bounded_page(self):
        return max(1, min(int(self.page or 1), MAX_PAGE))

    @property
    def bounded_per_page(self):
        return max(1, min(int(self.per_page or 20), 100))


@dataclass
class Result:
    work_ids: list
    total: int
    total_is_lower_bound: bool
    facets: dict
    page: int
    per_page: int
    # True past COUNT_LIMIT matches of a text query: facets were counted over the first
    # COUNT_LIMIT + 1 matches (and relevance ranked among them), as the total reads
    # "more than 10,000". A common word then costs what a rare one does.
    facets_are_lower_bounds: bool = False

    @property
    def has_next(self):
        return self.page * self.per_page < self.total


def facet_token(name, value):
    return f"{name}:{value}"


def matching_ids(query, limit=COUNT_LIMIT):
    """Every matching work id (up to `limit`) in the query's order, in one query: what an
    export reads, instead of paging through `search` (which would re-run the match and
    its ranking for every page)."""
    return backend().matching_ids(query, limit)


def backend():
    if connection.vendor == "postgresql":
        from .postgresql import PostgreSQLBackend

        return PostgreSQLBackend()
    from .sqlite import SQLiteBackend

    return SQLiteBackend()


def search(query):
    """Run `query`. Browsing (no words) is kept in the cache until the index changes:
    counting every facet of the whole catalogue is the one expensive query (seconds at a
    million entries), and it is what the search page shows first."""
    from .text import parse_query

    if parse_query(query.text):
        return backend().search(query)
    seconds = getattr(settings, "CATALOGUE_BROWSE_CACHE_SECONDS", 600)
    if not seconds:
        return backend().search(query)
    key = "catalogue-browse:%s:%s" % (index_version(), _query_key(query))  # noqa: UP031
    result = cache.get(key)
    if result is None:
        result = backend().search(query)
        cache.set(key, result, seconds)
    return result


VERSION_KEY = "catalogue-search-version"


def index_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
    return version


def index_changed():
    """Forget every kept browse result (called by each index write); inside
    `changes_batched`, at most once per its interval."""
    batch = _batch.get()
    if batch is not None:
        now = time.monotonic()
        batch["pending"] = True
        if now - batch["last"] < batch["seconds"]:
            return
        batch["last"], batch["pending"] = now, False
    cache.set(VERSION_KEY, time.time_ns(), None)


_batch = ContextVar("catalogue_search_batch", default=None)


@contextmanager
def changes_batched(seconds=30):
    """A harvest writes the index at every page (ten times a second on a fast source):
    each write would drop the kept browse result, and at a million entries every visitor
    of the search page during a harvest would wait seconds for the facet counts of
    everything. Inside this block, kept browse results are dropped at most every
    `seconds` and once at its end; searches with words never wait (they are not kept)."""
    if _batch.get() is not None:
        yield
        return
    token = _batch.set({"seconds": seconds, "last": time.monotonic(), "pending": False})
    try:
        yield
    finally:
        pending = _batch.get()["pending"]
        _batch.reset(token)
        if pending:
            index_changed()


def _query_key(query):
    payload = json.dumps(
        [query.clean_filters(), query.sort, query.bounded_page, query.bounded_per_page,
         query.with_facets],
        sort_keys=True,
    )  # fmt: skip
    return hashlib.sha1(payload.encode(), usedforsecurity=False).hexdigest()


def index_works(work_ids):
    """(Re)write the entries of these works from the database (visible ones only)."""
    from .documents import build_documents

    work_ids = sorted(set(work_ids))
    if work_ids:
        documents, _gone = build_documents(work_ids)
        backend().write(documents, replace=work_ids)
        index_changed()


def index_new_works(records_by_work, region=""):
    """Write the entries of works just founded by these records (no entry exists yet);
    built from the records in memory, so a harvest reads nothing back."""
    from .documents import document_from_record

    documents = [
        document_from_record(work_id, record, region)
        for work_id, record in records_by_work.items()
        if not record.deleted and record.status == "published"
    ]
    if documents:
        backend().write(documents, replace=[])
        index_changed()


def rebuild(batch_size=2000):
    from ..models import Work

    ids = list(Work.objects.filter(deleted=False).values_list("id", flat=True).order_by("id"))
    for start in range(0, len(ids), batch_size):
        index_works(ids[start : start + batch_size])
