"""The search page and the CSV export of any search (same parameters)."""

import csv
from datetime import date

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from .. import search, selectors
from ..facets import facets_for_page, filters_from
from ..forms import SearchForm
from ..licences import read_rights
from ..search.text import parse_query

PER_PAGE = 20
# Works read (and rows written) at a time by the export.
EXPORT_CHUNK = 500
# An export holds at most what a search counts exactly (search.COUNT_LIMIT).
EXPORT_LIMIT = search.COUNT_LIMIT


def _query(request, **extra):
    form = SearchForm(request.GET or None)
    text = form.data.get("q", "")[:2000] if form.is_bound else ""
    sort = request.GET.get("sort")
    if sort not in ("relevance", "date"):
        sort = "relevance" if parse_query(text) else "date"
    filters = filters_from(request.GET)
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        page = 1
    query = search.Query(text=text, filters=filters, sort=sort, page=page, **extra)
    return form, query, filters


def search_page(request):
    form, query, filters = _query(request, per_page=PER_PAGE)
    result = search.search(query)
    works = selectors.works_for_page(result.work_ids)
    params = request.GET.copy()
    params.pop("page", None)
    last_page = min(-(-result.total // PER_PAGE), search.MAX_PAGE) if result.total else 1
    return render(
        request,
        "catalogue/search.html",
        {
            "form": form,
            "query": query,
            "result": result,
            "works": works,
            "facets": facets_for_page(result, filters),
            "filters": filters,
            "params": params.urlencode(),
            "export_params": params.urlencode(),
            "page_number": query.bounded_page,
            "last_page": last_page,
            "has_previous": query.bounded_page > 1,
            "has_next": query.bounded_page < last_page,
            "count_limit": search.COUNT_LIMIT,
        },
    )


EXPORT_COLUMNS = (
    "hub_id", "url", "title", "title_language", "creators", "publisher", "year",
    "languages", "learning_resource_type", "educational_level", "subjects", "keywords",
    "links", "licence", "licence_class", "licence_reason", "rights_statement", "sources",
)  # fmt: skip


class _Echo:
    def write(self, value):
        return value


def _export_rows(request, query):
    """The header, then one row per work: the search runs once for every matching id
    (`search.matching_ids`), then works are read EXPORT_CHUNK at a time (two queries
    each, plain values, no model instances), so memory stays flat whatever the size."""
    yield EXPORT_COLUMNS
    work_ids = search.matching_ids(query, EXPORT_LIMIT)
    placeholder = "00000000-0000-0000-0000-000000000000"
    url_template = request.build_absolute_uri(
        reverse("catalogue:record-detail", kwargs={"hub_id": placeholder})
    )
    for start in range(0, len(work_ids), EXPORT_CHUNK):
        chunk = work_ids[start : start + EXPORT_CHUNK]
        rows, sources = selectors.export_rows(chunk)
        for work_id in chunk:
            row = rows.get(work_id)
            if row is None:
                continue
            statement = row["rights_statement"]
            reading = read_rights(statement.split("\n")) if statement else None
            yield (
                str(row["hub_id"]),
                url_template.replace(placeholder, str(row["hub_id"])),
                row["title"],
                row["title_language"],
                "; ".join(person.get("name", "") for person in row["creators"]),
                row["publisher"],
                row["year"] or "",
                "; ".join(row["languages"]),
                row["learning_resource_type"],
                row["educational_level"],
                "; ".join(row["subjects"]),
                "; ".join(row["keywords"]),
                " ".join(row["urls"]),
                row["licence_spdx"],
                row["licence_class"],
                str(reading.reason) if reading else "",
                statement,
                "; ".join(sources.get(work_id, [])),
            )


def export_csv(request):
    """Every result of the search (up to 10,000), UTF-8 with a byte-order mark."""
    _form, query, _filters = _query(request)
    query.with_facets = False
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"
        for row in _export_rows(request, query):
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="oer-catalogue-{date.today():%Y-%m-%d}.csv"'
    )
    return response
