"""Reporting cycles and their published syntheses in the API."""

from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Query

from coalition.members.schemas import Error, LanguageQuery
from coalition.recommendation.content import content_in

from ..models import ReportingCycle
from ..schemas import CycleList, SynthesisOut
from ..selectors.reports import cycles_for_list
from ..selectors.synthesis import kept_figures, published_reports
from . import _Answer, router

CYCLE_SLUG = Path(description="The cycle's short name.", example="2019-2023")


def _cycle(answer, cycle):
    title = content_in(cycle, "title", answer.language)
    synthesis = getattr(cycle, "synthesis", None)
    published = synthesis is not None and synthesis.is_published
    return {
        "slug": cycle.slug,
        "title": title.value,
        "title_language": title.language,
        "period_start": cycle.period_start,
        "period_end": cycle.period_end,
        "opens_at": cycle.opens_at,
        "deadline": cycle.deadline,
        "time_zone": cycle.time_zone,
        "status": answer.coded(ReportingCycle.Status, cycle.status),
        "questionnaire_version": cycle.questionnaire.version,
        "accepted_reports": cycle.accepted_count,
        "synthesis": {
            "published_at": synthesis.published_at,
            "url": answer.link("api:monitoring-synthesis", slug=cycle.slug),
            "page": answer.link("monitoring:synthesis", slug=cycle.slug),
        }
        if published
        else None,
        "page": answer.link("monitoring:cycle-detail", slug=cycle.slug),
    }


@router.get(
    "/reporting/cycles",
    response={200: CycleList, 400: Error},
    auth=None,
    summary="The reporting cycles",
)
def list_cycles(request, params: Query[LanguageQuery]):
    """The cycles of national reporting on the 2019 Recommendation, newest first, with
    their published synthesis. Cycles still being prepared are the secretariat's."""
    cycles = cycles_for_list().select_related("synthesis")
    if not request.user.has_perm("monitoring.manage"):
        cycles = cycles.exclude(status=ReportingCycle.Status.PREPARING)
    answer = _Answer(request)
    items = [_cycle(answer, cycle) for cycle in cycles]
    return {"count": len(items), "items": items}


def _breakdown(row):
    return {
        "scope": row.key,
        "name": str(row.label),
        "countries": row.total,
        "withheld": row.withheld,
        "shares": None
        if row.withheld
        else [
            {
                "answer": {"code": share.choice, "name": share.label},
                "count": share.count,
                "percent": share.percent,
            }
            for share in row.shares
        ],
    }


@router.get(
    "/reporting/cycles/{slug}/synthesis",
    response={200: SynthesisOut, 400: Error, 404: Error},
    auth=None,
    summary="A published synthesis's figures",
    url_name="monitoring-synthesis",
)
def get_synthesis(request, slug: Annotated[str, CYCLE_SLUG], params: Query[LanguageQuery]):
    """Who reported, by region, and for every closed question the share of the reporting
    Member States per answer, overall and by UNESCO region (accepted reports only). A
    scope of fewer than `min_countries` countries has its shares withheld. Individual
    reports are listed only where their country chose to publish them."""
    cycle = (
        ReportingCycle.objects.select_related("questionnaire", "synthesis")
        .filter(slug=slug)
        .first()
    )
    synthesis = getattr(cycle, "synthesis", None) if cycle else None
    if synthesis is None or not request.user.has_perm("monitoring.view_synthesis", synthesis):
        raise Http404(_("There is no published synthesis for this reporting cycle."))
    answer = _Answer(request)
    figures = kept_figures(cycle)
    return {
        "cycle": cycle.slug,
        "title": content_in(cycle, "title", answer.language).value,
        "published_at": synthesis.published_at,
        "min_countries": figures.min_countries,
        "reporting_countries": [
            {"code": c.code, "name": str(c.name), "region": c.region} for c in figures.countries
        ],
        "by_region": [
            {"region": row.region, "name": str(row.label), "count": row.count}
            for row in figures.by_region
        ],
        "questions": [
            {
                "number": q.question.number,
                "key": q.question.key,
                "text": str(q.text),
                "overall": _breakdown(q.overall),
                "regions": [_breakdown(row) for row in q.regions],
            }
            for q in figures.questions
        ],
        "published_reports": [
            {
                "country": {"code": c.code, "name": str(c.name)},
                "url": answer.link("api:monitoring-report", slug=cycle.slug, country=c.code),
                "page": answer.link("monitoring:report-detail", pk=c.report_id),
            }
            for c in published_reports(figures)
        ],
        "page": answer.link("monitoring:synthesis", slug=cycle.slug),
    }
