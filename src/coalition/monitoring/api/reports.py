"""National reports in the API: one country's report for those who may read it, and the
signed-in user's own countries with their reports."""

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django_countries import countries
from ninja import Path, Query

from coalition.members.schemas import Error, LanguageQuery

from ..models import Choice, CountryRole, Evidence, Report, ReportingCycle
from ..schemas import MyCountries, ReportOut
from ..selectors.reports import report_sections
from . import _Answer, router
from .cycles import CYCLE_SLUG

COUNTRY = Path(description="ISO 3166-1 alpha-2 code.", example="KE")


def _evidence(answer, report, item):
    if item.kind == Evidence.Kind.UPLOAD:
        url = answer.link("monitoring:evidence-download", pk=report.pk, evidence_pk=item.pk)
    else:
        url = item.url or None
    return {"kind": answer.coded(Evidence.Kind, item.kind), "title": item.title, "url": url}


def _answer_of(answer, item):
    stored = item.answer
    if stored is None or stored.is_empty:
        return None
    return {
        "choice": answer.coded(Choice, stored.choice) if stored.choice else None,
        "text": stored.text,
        "language": stored.language,
        "updated_at": stored.updated_at,
    }


@router.get(
    "/reporting/cycles/{slug}/reports/{country}",
    response={200: ReportOut, 400: Error, 401: Error, 403: Error, 404: Error},
    auth=None,
    summary="One country's national report",
    url_name="monitoring-report",
)
def get_report(
    request,
    slug: Annotated[str, CYCLE_SLUG],
    country: Annotated[str, COUNTRY],
    params: Query[LanguageQuery],
):
    """A Member State's report on a cycle (`country`: ISO 3166-1 alpha-2), with its
    answers and kept evidence by section. The public reads it once the secretariat has
    accepted it, if its country chose to publish it; the country's focal point and
    co-editors read it in any state, the secretariat every report."""
    code = country.upper()
    report = (
        Report.objects.select_related("cycle__questionnaire")
        .filter(cycle__slug=slug, country=code)
        .exclude(cycle__status=ReportingCycle.Status.PREPARING)
        .first()
        if code in countries
        else None
    )
    if report is None:
        raise Http404(_("This country has no report for this reporting cycle."))
    if not request.user.has_perm("monitoring.view_report", report):
        raise PermissionDenied
    answer = _Answer(request)
    sections, _comments = report_sections(report)
    return {
        "cycle": report.cycle.slug,
        "country": {"code": report.country.code, "name": str(report.country.name)},
        "region": report.region,
        "status": answer.coded(Report.Status, report.status),
        "language": report.language,
        "is_public": report.is_public,
        "submitted_at": report.submitted_at,
        "accepted_at": report.accepted_at,
        "versions": report.versions.count(),
        "sections": [
            {
                "key": section.section.key,
                "title": section.title.value,
                "questions": [
                    {
                        "number": item.question.number,
                        "key": item.question.key,
                        "kind": item.question.kind,
                        "required": item.question.required,
                        "text": item.text.value,
                        "answer": _answer_of(answer, item),
                        "evidence": [_evidence(answer, report, e) for e in item.evidence],
                    }
                    for item in section.items
                ],
            }
            for section in sections
        ],
        "page": answer.link("monitoring:report-detail", pk=report.pk),
    }


@router.get(
    "/reporting/my-countries",
    response={200: MyCountries, 400: Error, 401: Error},
    summary="My countries' national reports",
)
def my_countries(request, params: Query[LanguageQuery]):
    """The countries whose reports the signed-in user writes (as focal point or
    co-editor), each with its reports, newest cycle first."""
    roles = list(CountryRole.objects.filter(user=request.user).order_by("country"))
    reports = {}
    for report in (
        Report.objects.filter(country__in=[role.country for role in roles])
        .select_related("cycle")
        .order_by("-cycle__period_start", "-cycle__pk")
    ):
        reports.setdefault(report.country.code, []).append(report)
    answer = _Answer(request)
    items = [
        {
            "country": {"code": role.country.code, "name": str(role.country.name)},
            "role": answer.coded(CountryRole.Role, role.role),
            "reports": [
                {
                    "cycle": report.cycle.slug,
                    "status": answer.coded(Report.Status, report.status),
                    "url": answer.link(
                        "api:monitoring-report",
                        slug=report.cycle.slug,
                        country=report.country.code,
                    ),
                    "page": answer.link("monitoring:report-detail", pk=report.pk),
                }
                for report in reports.get(role.country.code, [])
            ],
        }
        for role in roles
    ]
    return {"count": len(items), "items": items}
