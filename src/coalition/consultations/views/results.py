"""A survey's results for the secretariat, chairs and rapporteurs: figures, charts, exports."""

import codecs
import csv
import gzip
import re

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..forms import ResultsFilterForm
from ..models import Survey
from ..results import (
    Filters,
    export_rows,
    json_export,
    kept_survey_results,
)

_ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def _survey_for_results(request, slug):
    if not request.user.has_perm("consultations.view_results"):
        raise PermissionDenied(
            _(
                "Survey results are for the secretariat and the working groups' "
                "chairs and rapporteurs."
            )
        )
    return get_object_or_404(Survey, slug=slug)


@require_GET
def results(request, slug):
    survey = _survey_for_results(request, slug)
    filters = Filters.from_query(request.GET)
    total, questions = kept_survey_results(survey, filters)
    query = "&".join(f"{k}={v}" for k, v in filters.query().items())
    return render(
        request,
        "consultations/results.html",
        {
            "survey": survey,
            "total": total,
            "questions": questions,
            "filters": filters,
            "form": ResultsFilterForm(filters.query() or None),
            "query": query,
        },
    )


@require_GET
def results_chart(request, slug, code):
    survey = _survey_for_results(request, slug)
    question = survey.questions.filter(code=code).prefetch_related("choices").first()
    if question is None:
        raise Http404
    _total, found = kept_survey_results(
        survey, Filters.from_query(request.GET), only=question, texts=False
    )
    chart = found[0].chart
    if chart is None:
        raise Http404
    body = chart.gzipped_svg()
    if _ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")):
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), content_type="image/svg+xml; charset=utf-8")
    response["Vary"] = "Accept-Encoding"
    # Private figures: kept by the reader's browser only, longer when the address is versioned.
    fresh = request.GET.get("v") == chart.digest
    response["Cache-Control"] = f"private, max-age={24 * 3600 if fresh else 300}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class _Echo:
    def write(self, value):
        return value


def _csv_stream(survey, filters):
    yield codecs.BOM_UTF8.decode("utf-8")
    writer = csv.writer(_Echo())
    for row in export_rows(survey, filters):
        yield writer.writerow(row)


@require_GET
def export_csv(request, slug):
    """One row per response, one column per question; UTF-8 with a BOM so that spreadsheet
    programs read Arabic and Chinese correctly. Streamed: memory stays flat."""
    survey = _survey_for_results(request, slug)
    response = StreamingHttpResponse(
        _csv_stream(survey, Filters.from_query(request.GET)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-responses.csv"'
    return response


@require_GET
def export_json(request, slug):
    survey = _survey_for_results(request, slug)
    response = StreamingHttpResponse(
        json_export(survey, Filters.from_query(request.GET)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-responses.json"'
    return response
