"""A survey's results in the API, and its responses as JSON: for the secretariat and the
working groups' chairs and rapporteurs, as on the results page."""

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.utils.translation import get_language
from ninja import Query

from coalition.members.api import WRITE_ERRORS, _text
from coalition.recommendation.content import content_in

from ..results import Filters, json_export, kept_survey_results
from ..schemas import ExportOut, ResultsOut, ResultsQuery
from . import router
from .surveys import visible_survey

RESULT_ERRORS = WRITE_ERRORS  # 400 filters, 401, 403 (not the secretariat nor a chair), 404


def _survey_for_results(request, slug):
    if not request.user.has_perm("consultations.view_results"):
        raise PermissionDenied
    return visible_survey(request, slug)


def _filters(params):
    return Filters.from_query(
        {
            "region": params.region or "",
            "stakeholder_type": params.stakeholder_type or "",
            "working_group": params.working_group or "",
        }
    )


def _text_answer(answer):
    organization = answer.response.organization
    return {
        "text": answer.text,
        "is_other": answer.is_other,
        "organization": str(content_in(organization, "name")) if organization else None,
    }


def _result(request, result, language):
    question = result.question
    summary = None
    if result.summary:
        average = result.summary.get("average")
        summary = {
            "average": round(float(average), 2) if average is not None else None,
            "low": result.summary.get("low"),
            "high": result.summary.get("high"),
        }
    return {
        "code": question.code,
        "kind": question.kind,
        "text": _text(question, "text", language),
        "answered": result.answered,
        "skipped": result.skipped,
        "rows": [
            {"label": str(row.label), "count": row.count, "percent": row.percent}
            for row in result.rows
        ],
        "other_count": result.other_count,
        "summary": summary,
        "texts": [_text_answer(answer) for answer in result.texts],
        "chart": request.build_absolute_uri(result.chart.url) if result.chart else None,
    }


@router.get(
    "/surveys/{slug}/results",
    response={200: ResultsOut, **RESULT_ERRORS},
    summary="Read a survey's results",
)
def results(request, slug: str, params: Query[ResultsQuery]):
    """Counts and percentages per question of the submitted responses matching the
    filters, the summary of number questions, the latest free-text answers with the
    respondent's organization (none for anonymous answers) and the address of each SVG
    chart. For the secretariat and the working groups' chairs and rapporteurs."""
    survey = _survey_for_results(request, slug)
    filters = _filters(params)
    total, found = kept_survey_results(survey, filters)
    language = get_language()
    return {
        "survey": survey.slug,
        "filters": filters.query(),
        "responses": total,
        "questions": [_result(request, result, language) for result in found],
    }


@router.get(
    "/surveys/{slug}/responses",
    response={200: ExportOut, **RESULT_ERRORS},
    summary="Export a survey's responses",
)
def responses(request, slug: str, params: Query[ResultsQuery]):
    """Every submitted response matching the filters, with codes rather than labels
    (choice values, ISO country codes, slugs), streamed: the JSON export of the results
    page. For the secretariat and the working groups' chairs and rapporteurs."""
    survey = _survey_for_results(request, slug)
    stream = StreamingHttpResponse(
        json_export(survey, _filters(params)), content_type="application/json; charset=utf-8"
    )
    stream["Content-Disposition"] = f'inline; filename="{survey.slug}-responses.json"'
    return stream
