"""SQLite backend: an FTS5 table (`catalogue_search_fts`, rowid = the work's id).

Columns `title` and `body` hold folded text (search.text.fold), `facets` one opaque
token per facet value ("zz" + 12 hex digits of its SHA-1), so facet filters are part of
the MATCH and use the same inverted index. Ranking is FTS5's bm25 with the title ten
times the body. Facet counts read the `facets` JSON of the matched entries with
`json_each`, in one statement for every facet (`search.facet_counts_sql`: a facet with a
selection is counted over the matches of the query without its own filter).
"""

# The SQL is put together from fixed fragments of this module; every value is a parameter.
# ruff: noqa: S608

import hashlib
from functools import lru_cache

from django.db import connection, transaction

from coalition.catalogue import search as package

from ..models import SearchEntry
from ..services.bulk import insert_rows
from . import Result, counting
from .text import fold, parse_query


@lru_cache(maxsize=65536)
def facet_fts_token(token):
    return "zz" + hashlib.sha1(token.encode(), usedforsecurity=False).hexdigest()[:12]


def _quote(words, prefix=False):
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


class SQLiteBackend:
    def write(self, documents, replace):
        with transaction.atomic(), connection.cursor() as cursor:
            if replace:
                placeholders = ",".join(["%s"] * len(replace))
                cursor.execute(
                    f"DELETE FROM catalogue_search_fts WHERE rowid IN ({placeholders})", replace
                )
                cursor.execute(
                    f"DELETE FROM catalogue_searchentry WHERE work_id IN ({placeholders})",
                    replace,
                )
            insert_rows(
                SearchEntry,
                ["work", "title", "sort_date", "facets"],
                [(d.work_id, d.title, d.sort_date, d.facets) for d in documents],
            )
            cursor.executemany(
                "INSERT INTO catalogue_search_fts (rowid, title, body, facets) "
                "VALUES (%s, %s, %s, %s)",
                [
                    (
                        d.work_id,
                        fold(d.title_text),
                        fold(d.body_text + "\n" + d.other_text),
                        " ".join(facet_fts_token(token) for token in d.facets),
                    )
                    for d in documents
                ],
            )

    def match_expression(self, query):
        terms = parse_query(query.text)
        positive = [_quote(t.words, t.prefix) for t in terms if not t.exclude]
        negative = [_quote(t.words, t.prefix) for t in terms if t.exclude]
        parts = []
        if positive:
            text = " AND ".join(positive) + "".join(f" NOT {n}" for n in negative)
            parts.append("{title body} : (" + text + ")")
        for name, values in query.clean_filters().items():
            tokens = " OR ".join(f'"{facet_fts_token(f"{name}:{v}")}"' for v in values)
            parts.append(f"facets : ({tokens})")
        return " AND ".join(parts)

    def search(self, query):
        match = self.match_expression(query)
        per_page, offset = query.bounded_per_page, query.offset
        with connection.cursor() as cursor:
            where, params = self._where(query)
            # With facets, their statement also counts the matches (its first branch reads
            # them, capped as the count would be): one statement fewer.
            facets, capped = {}, False
            if query.with_facets:
                facets, capped, total = self._facets(cursor, query)
            else:
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM catalogue_searchentry e "
                    f"WHERE {where} LIMIT %s)",
                    [*params, package.COUNT_LIMIT + 1],
                )
                total = cursor.fetchone()[0]
                capped = bool(parse_query(query.text)) and total > package.COUNT_LIMIT
            if match and query.sort == "relevance" and parse_query(query.text):
                cursor.execute(
                    "SELECT f.rowid FROM catalogue_search_fts f "
                    "JOIN catalogue_searchentry e ON e.work_id = f.rowid "
                    "WHERE catalogue_search_fts MATCH %s "
                    "ORDER BY bm25(catalogue_search_fts, 10.0, 1.0, 0.0), e.id LIMIT %s OFFSET %s",
                    [match, per_page, offset],
                )
            else:
                cursor.execute(
                    f"SELECT e.work_id FROM catalogue_searchentry e WHERE {where} "
                    "ORDER BY e.sort_date DESC, e.id DESC LIMIT %s OFFSET %s",
                    [*params, per_page, offset],
                )
            work_ids = [row[0] for row in cursor.fetchall()]
        return Result(
            work_ids=work_ids,
            total=min(total, package.COUNT_LIMIT),
            total_is_lower_bound=total > package.COUNT_LIMIT,
            facets=facets,
            facets_are_lower_bounds=capped,
            page=query.bounded_page,
            per_page=per_page,
        )

    def matching_ids(self, query, limit):
        match = self.match_expression(query)
        where, params = self._where(query)
        with connection.cursor() as cursor:
            if match and query.sort == "relevance" and parse_query(query.text):
                cursor.execute(
                    "SELECT f.rowid FROM catalogue_search_fts f "
                    "JOIN catalogue_searchentry e ON e.work_id = f.rowid "
                    "WHERE catalogue_search_fts MATCH %s "
                    "ORDER BY bm25(catalogue_search_fts, 10.0, 1.0, 0.0), e.id LIMIT %s",
                    [match, limit],
                )
            else:
                cursor.execute(
                    f"SELECT e.work_id FROM catalogue_searchentry e WHERE {where} "
                    "ORDER BY e.sort_date DESC, e.id DESC LIMIT %s",
                    [*params, limit],
                )
            return [row[0] for row in cursor.fetchall()]

    def _where(self, query):
        match = self.match_expression(query)
        if not match:
            return "1 = 1", []
        return (
            "e.work_id IN (SELECT rowid FROM catalogue_search_fts "
            "WHERE catalogue_search_fts MATCH %s)",
            [match],
        )

    def _facets(self, cursor, query):
        selected = query.clean_filters()
        branches = [("", *self._where(query))]
        branches += [(name, *self._where(query.without(name))) for name in selected]
        # With words, facets are counted over the first COUNT_LIMIT + 1 matches (all of
        # them up to there; browsing everything stays exact: it is kept in the cache).
        limited = bool(parse_query(query.text))
        sql, params = counting.facet_counts_sql(
            branches, "json_each(e.facets) f", package.COUNT_LIMIT + 1 if limited else None
        )
        cursor.execute(sql, params)
        return counting.facets_from_rows(cursor.fetchall(), selected, limited)
