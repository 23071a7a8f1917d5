"""Facet counts in one statement, for either engine (the backends give their SQL).

A facet with a selection is counted over the matches of the query without its own
filter, so that several values of one facet combine (OR) and each count tells what
ticking that value adds; the other facets are counted over the matches of the whole
query. Each branch is a MATERIALIZED common table expression read once.
"""

# The SQL is put together from fixed fragments of the backends; every value is a parameter.
# ruff: noqa: S608

from coalition.catalogue import search as package


def facet_counts_sql(branches, unnest, limit, shared=None, extra=None):
    """One statement counting every facet: ("", where, params) over the matches of the
    whole query, then, for each facet with a selection, (name, where, params) over the
    matches of the query without that facet's filter, only that facet's values (counts
    of a facet never shrink to its own selection, so values of one facet combine).

    `unnest` is the engine's JSON array expansion of `e.facets` as `f` (column `value`);
    `limit` (or None) caps the rows each branch reads. Rows are (branch, token, count);
    a branch's row with token "" holds how many rows it read (capped or not).

    `shared` (select, params), if given, selects the rows every branch is taken from
    (`m`, with a `facets` column), read once; the branches' conditions are then checked
    on its rows, and they keep its columns. `extra` (select, params), if given, is one
    more SELECT of three columns added to the rows; it may read the branches (b0, …)."""
    ctes, selects, params = [], [], []
    cap = " LIMIT %s" if limit is not None else ""
    source, columns = "catalogue_searchentry", "e.facets"
    if shared is not None:
        ctes.append(f"m AS MATERIALIZED ({shared[0]})")
        params += shared[1]
        source, columns = "m", "e.*"
    for n, (_name, where, where_params) in enumerate(branches):
        ctes.append(f"b{n} AS MATERIALIZED (SELECT {columns} FROM {source} e WHERE {where}{cap})")
        params += [*where_params, *([limit] if limit is not None else [])]
    for n, (name, _where, _params) in enumerate(branches):
        own = " WHERE f.value LIKE %s" if name else ""
        selects.append(
            f"SELECT CAST(%s AS TEXT), f.value, count(*) FROM b{n} e, {unnest}{own} "
            "GROUP BY f.value"
        )
        params += [name, *([name + ":%"] if name else [])]
        selects.append(f"SELECT CAST(%s AS TEXT), '', count(*) FROM b{n}")
        params.append(name)
    if extra is not None:
        selects.append(extra[0])
        params += extra[1]
    sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(selects)
    return sql, params


def facets_from_rows(rows, selected, limited):
    """{facet: [(value, count)]} of `facet_counts_sql`'s rows, whether any branch was
    capped (its counts are then lower bounds), and how many matches of the whole query
    were read (the hit count, capped as the branch was: the search needs no count of
    its own)."""
    facets = {name: [] for name in package.FACETS}
    capped, read = False, 0
    for branch, token, count in rows:
        if token == "":
            capped |= limited and count > package.COUNT_LIMIT
            if branch == "":
                read = count
            continue
        name, _sep, value = token.partition(":")
        if name in facets and (branch == name if name in selected else branch == ""):
            facets[name].append((value, count))
    for values in facets.values():
        values.sort(key=lambda pair: (-pair[1], pair[0]))
    return facets, capped, read
