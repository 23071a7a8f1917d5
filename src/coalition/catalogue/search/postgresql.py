"""PostgreSQL backend: a `document` tsvector (GIN) and a GIN index over `facets` (jsonb).

Each document holds its title (weight A) and body (weight B) twice: stemmed with the
configuration of the record's language (english, french, spanish, russian, arabic and
the others PostgreSQL has), and folded without stemming in `simple` (search.text.fold:
accents, Arabic diacritics, CJK bigrams). Each query word is looked for in every UN
language's configuration and in the folded form (`plainto_tsquery` per configuration,
OR-ed), words AND-ed, phrases with `phraseto_tsquery`, prefixes as `'word':*` on the
folded form. Facet filters are `facets @> '["licence:open"]'` (GIN) when browsing, and a
check on the text-matched rows when there are words; several values of one facet OR-ed.
Facet counts read `jsonb_array_elements_text(facets)` of the matched rows in one
statement (`search.facet_counts_sql`: a facet with a selection is counted over the
matches of the query without its own filter); with words, that statement matches them
once for every branch and also picks the page, so a search is one statement. Ranking is
`ts_rank_cd`.
"""

# The SQL is put together from fixed fragments of this module; every value is a parameter.
# ruff: noqa: S608

import json

from django.db import connection, transaction

from coalition.catalogue import search as package

from . import Result, counting
from .text import PG_QUERY_CONFIGS, fold, parse_query, pg_config


def _lexeme(word):
    return "'" + word.replace("'", "''").replace("\\", "") + "'"


class PostgreSQLBackend:
    def write(self, documents, replace):
        with transaction.atomic(), connection.cursor() as cursor:
            if replace:
                cursor.execute(
                    "DELETE FROM catalogue_searchentry WHERE work_id = ANY(%s)", [list(replace)]
                )
            if not documents:
                return
            rows = []
            params = []
            for d in documents:
                rows.append(
                    "(%s, %s, %s, %s::jsonb, "
                    "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
                    "setweight(to_tsvector('simple', %s), 'A') || "
                    "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
                    "setweight(to_tsvector('simple', %s), 'B'))"
                )
                config = pg_config(d.language)
                params += [
                    d.work_id,
                    d.title,
                    d.sort_date,
                    json.dumps(d.facets),
                    config,
                    d.title_text,
                    fold(d.title_text),
                    config,
                    d.body_text,
                    fold(d.body_text + "\n" + d.other_text),
                ]
            cursor.execute(
                "INSERT INTO catalogue_searchentry (work_id, title, sort_date, facets, document) "
                "VALUES " + ", ".join(rows),
                params,
            )

    def term_queries(self, query):
        """[(tsquery SQL, params, exclude)] for each term of the query."""
        queries = []
        for term in parse_query(query.text):
            if term.prefix:
                sql, params = "to_tsquery('simple', %s)", [_lexeme(term.words[0]) + ":*"]
            else:
                function = "phraseto_tsquery" if len(term.words) > 1 else "plainto_tsquery"
                raw = term.original or " ".join(term.words)
                pieces = [f"{function}('{config}', %s)" for config in PG_QUERY_CONFIGS]
                pieces.append(f"{function}('simple', %s)")
                sql = "(" + " || ".join(pieces) + ")"
                params = [raw] * len(PG_QUERY_CONFIGS) + [" ".join(term.words)]
            queries.append((sql, params, term.exclude))
        return queries

    def where(self, query, term_queries):
        text, text_params = self.text_where(term_queries)
        filters, filter_params = self.filter_where(query, term_queries)
        clauses = [clause for clause in (text, filters) if clause != "TRUE"]
        return (" AND ".join(clauses) or "TRUE"), [*text_params, *filter_params]

    def text_where(self, term_queries):
        clauses, params = [], []
        for sql, term_params, exclude in term_queries:
            # As a scalar subquery, so the planner takes a match as selective (its default
            # for a query it cannot see) and reads the GIN index: it estimated each word
            # asked in six configurations at several times its real share and, under the
            # LIMIT of a facet count, read the whole table instead (measured on 200,000
            # entries: 160 ms a branch, most of a common word's 430 ms).
            clauses.append(("NOT " if exclude else "") + f"e.document @@ (SELECT {sql})")
            params += term_params
        return (" AND ".join(clauses) or "TRUE"), params

    def filter_where(self, query, term_queries):
        clauses, params = [], []
        # With words, the text index finds few rows and facets are checked on those rows
        # (jsonb_exists cannot use an index): AND-ing a bitmap of a facet held by half the
        # catalogue would cost more than the text match. Without words, the facet index
        # (jsonb_path_ops, @>) is the way in.
        with_words = any(not exclude for _sql, _params, exclude in term_queries)
        for name, values in query.clean_filters().items():
            if with_words:
                alternatives = " OR ".join(["jsonb_exists(e.facets, %s)"] * len(values))
                params += [f"{name}:{value}" for value in values]
            else:
                alternatives = " OR ".join(["e.facets @> %s::jsonb"] * len(values))
                params += [json.dumps([f"{name}:{value}"]) for value in values]
            clauses.append(f"({alternatives})")
        return (" AND ".join(clauses) or "TRUE"), params

    def search(self, query):
        term_queries = self.term_queries(query)
        where, params = self.where(query, term_queries)
        positive = [(sql, p) for sql, p, exclude in term_queries if not exclude]
        per_page, offset = query.bounded_per_page, query.offset
        if positive and query.sort == "relevance":
            order = " + ".join(f"ts_rank_cd(e.document, {sql})" for sql, _p in positive)
            order = f"({order}) DESC, e.id"
            order_params = [value for _sql, p in positive for value in p]
        else:
            order, order_params = "e.sort_date DESC NULLS LAST, e.id DESC", []
        with connection.cursor() as cursor:
            # With facets, their statement also counts the matches (its first branch reads
            # them, capped as the count would be): one statement fewer. With words, it also
            # picks the page (below): one statement in all.
            facets, capped_counts, work_ids = {}, False, None
            if query.with_facets:
                page = (order, order_params, per_page, offset) if positive else None
                facets, capped_counts, total, work_ids = self._facets(
                    cursor, query, term_queries, positive, page
                )
            else:
                cursor.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM catalogue_searchentry e "
                    f"WHERE {where} LIMIT %s) AS found",
                    [*params, package.COUNT_LIMIT + 1],
                )
                total = cursor.fetchone()[0]
            # Past COUNT_LIMIT matches (the total then reads "more than 10,000"), ranking
            # and facet counts look at the first COUNT_LIMIT + 1 matches only, so that a
            # common word costs what a rare one does (see the search package's notes).
            capped = positive and total > package.COUNT_LIMIT
            if work_ids is None:
                found = (
                    "(SELECT e.* FROM catalogue_searchentry e WHERE " + where + " LIMIT %s) e"
                    if capped
                    else f"catalogue_searchentry e WHERE {where}"
                )
                found_params = [*params, package.COUNT_LIMIT + 1] if capped else params
                cursor.execute(
                    f"SELECT e.work_id FROM {found} ORDER BY {order} LIMIT %s OFFSET %s",
                    [*found_params, *order_params, per_page, offset],
                )
                work_ids = [row[0] for row in cursor.fetchall()]
            capped = capped or capped_counts
        return Result(
            work_ids=work_ids,
            total=min(total, package.COUNT_LIMIT),
            total_is_lower_bound=total > package.COUNT_LIMIT,
            facets=facets,
            facets_are_lower_bounds=bool(capped),
            page=query.bounded_page,
            per_page=per_page,
        )

    def matching_ids(self, query, limit):
        term_queries = self.term_queries(query)
        where, params = self.where(query, term_queries)
        positive = [(sql, p) for sql, p, exclude in term_queries if not exclude]
        with connection.cursor() as cursor:
            if positive and query.sort == "relevance":
                # Ranked among the first COUNT_LIMIT + 1 matches, as `search` ranks.
                order = " + ".join(f"ts_rank_cd(e.document, {sql})" for sql, _p in positive)
                cursor.execute(
                    "SELECT e.work_id FROM (SELECT e.* FROM catalogue_searchentry e "
                    f"WHERE {where} LIMIT %s) e ORDER BY ({order}) DESC, e.id LIMIT %s",
                    [*params, package.COUNT_LIMIT + 1,
                     *[value for _sql, p in positive for value in p], limit],
                )  # fmt: skip
            else:
                cursor.execute(
                    f"SELECT e.work_id FROM catalogue_searchentry e WHERE {where} "
                    "ORDER BY e.sort_date DESC NULLS LAST, e.id DESC LIMIT %s",
                    [*params, limit],
                )
            return [row[0] for row in cursor.fetchall()]

    def _facets(self, cursor, query, term_queries, positive, page=None):
        """Facets, whether capped, the hit count and, given `page` (order, its params,
        per page, offset; with words only), that page's work ids (else None)."""
        selected = query.clean_filters()
        limited = bool(positive)
        # With words, every branch reads the rows of one text match, found once: each
        # branch found them again before, and reading a common word's rows from the table
        # is most of the statement's time (measured on 1,000,000 entries: 77,000 rows on
        # 58,000 pages, about 220 ms a branch). The text match is read lazily, in the
        # order each branch read it, so a capped branch still stops at its first
        # COUNT_LIMIT + 1 rows and the branches count the same rows as before.
        shared = None
        if limited:
            text, text_params = self.text_where(term_queries)
            shared = (
                "SELECT e.ctid AS tid, e.facets FROM catalogue_searchentry e WHERE " + text,
                text_params,
            )
        where = self.filter_where if limited else self.where
        branches = [("", *where(query, term_queries))]
        branches += [(name, *where(query.without(name), term_queries)) for name in selected]
        extra = None
        if page is not None:
            # The first branch holds the matches the page is picked from (all of them, or
            # the first COUNT_LIMIT + 1 past the cap, as the page's own statement read
            # them): its rows are fetched back by their place in the table for the rank,
            # instead of matching the words once more. Page rows have no branch (NULL).
            order, order_params, per_page, offset = page
            extra = (
                "SELECT NULL, CAST(p.work_id AS TEXT), p.n FROM (SELECT e.work_id, "
                f"row_number() OVER (ORDER BY {order}) AS n FROM catalogue_searchentry e "
                "WHERE e.ctid = ANY(ARRAY(SELECT b0.tid FROM b0)) "
                "ORDER BY n LIMIT %s OFFSET %s) AS p",
                [*order_params, per_page, offset],
            )
        sql, params = counting.facet_counts_sql(
            branches,
            "jsonb_array_elements_text(e.facets) AS f(value)",
            package.COUNT_LIMIT + 1 if limited else None,
            shared=shared,
            extra=extra,
        )
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        work_ids = None
        if page is not None:
            page_rows = sorted((n, token) for branch, token, n in rows if branch is None)
            work_ids = [int(token) for _n, token in page_rows]
            rows = [row for row in rows if row[0] is not None]
        return (*counting.facets_from_rows(rows, selected, limited), work_ids)
