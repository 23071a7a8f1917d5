"""The search page and the CSV export of any search (same parameters)."""

import csv
from datetime import date

from django.http import StreamingHttpResponse
from django.shortcuts import render

from .. import search, selectors
from ..facets import facets_for_page, filters_from
from ..forms import SearchForm
from ..licences import read_rights
from ..search.text import parse_query

PER_PAGE = 20
EXPORT_PAGE = 100
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
    yield EXPORT_COLUMNS
    done = 0
    page = 1
    while done < EXPORT_LIMIT and page <= search.MAX_PAGE:
        query.page = page
        result = search.search(query)
        if not result.work_ids:
            break
        for work in selectors.works_for_page(result.work_ids):
            record = work.primary_record
            if record is None:
                continue
            reading = read_rights(record.rights_statement.split("\n"))
            yield (
                str(work.hub_id),
                request.build_absolute_uri(work.get_absolute_url()),
                record.title,
                record.title_language,
                "; ".join(person.get("name", "") for person in record.creators),
                record.publisher,
                record.year or "",
                "; ".join(record.languages),
                record.learning_resource_type,
                record.educational_level,
                "; ".join(record.subjects),
                "; ".join(record.keywords),
                " ".join(record.urls),
                record.licence_spdx,
                record.licence_class,
                str(reading.reason) if record.rights_statement else "",
                record.rights_statement,
                "; ".join(copy.source.name for copy in work.copies),
            )
            done += 1
        if not result.has_next:
            break
        page += 1


def export_csv(request):
    """Every result of the search (up to 10,000), UTF-8 with a byte-order mark."""
    _form, query, _filters = _query(request, per_page=EXPORT_PAGE)
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
