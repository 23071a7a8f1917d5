"""Consultations in the API: the list, one consultation, its published reports."""

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query

from coalition.activities.clocks import span_in_zone
from coalition.members.api import DETAIL_ERRORS, READ_ERRORS, _page, _text
from coalition.members.schemas import LanguageQuery, PageQuery

from .. import selectors
from ..models import Consultation, Report
from ..schemas import ConsultationDetailOut, ConsultationPage, GroupReportOut
from . import absolute, group_ref, router


def _consultation(request, consultation, language):
    return {
        "slug": consultation.slug,
        "title": _text(consultation, "title", language),
        "description": _text(consultation, "description", language, html=True),
        "starts_on": consultation.starts_on,
        "ends_on": consultation.ends_on,
        "time_zone": consultation.time_zone,
        "session_count": consultation.session_count,
        "url": request.build_absolute_uri(consultation.get_absolute_url()),
    }


def survey_ref(survey, language):
    return {
        "slug": survey.slug,
        "title": _text(survey, "title", language),
        "opens_at": survey.opens_at,
        "closes_at": survey.closes_at,
        "time_zone": survey.time_zone,
        "window": span_in_zone(survey.opens_at, survey.closes_at, survey.time_zone),
        "state": survey.window_state(),
        "allow_anonymous": survey.allow_anonymous,
    }


def _report_ref(request, consultation, report):
    kwargs = {"slug": consultation.slug, "group": report.working_group.slug}
    return {
        "working_group": group_ref(report.working_group),
        "author_name": report.author_name,
        "published_at": report.published_at,
        "url": absolute(request, "consultations:report-detail", **kwargs),
        "pdf": absolute(request, "consultations:report-pdf", **kwargs),
    }


def _session(session, language):
    event = session.event
    return {
        "event": event.slug,
        "title": _text(event, "title", language),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone,
        "organizer_clock": (
            span_in_zone(event.starts_at, event.ends_at, event.time_zone) if event.starts_at else ""
        ),
        "working_group": group_ref(session.working_group) if session.working_group else None,
    }


@router.get(
    "/consultations",
    response={200: ConsultationPage, **READ_ERRORS},
    auth=None,
    summary="List consultations",
)
def consultations(request, params: Query[PageQuery]):
    """The published consultations, the latest first."""
    language = get_language()
    items, page = _page(
        request, selectors.published_consultations().order_by("-starts_on", "pk"), params
    )
    return {**page, "items": [_consultation(request, c, language) for c in items]}


@router.get(
    "/consultations/{slug}",
    response={200: ConsultationDetailOut, **DETAIL_ERRORS},
    auth=None,
    summary="Read a consultation",
)
def consultation(request, slug: str, params: Query[LanguageQuery]):
    """A consultation with its sessions (each an event, for a working group or the whole
    Coalition) in the organizer's clock, its published surveys and published reports.
    An unpublished consultation is shown to the secretariat only."""
    language = get_language()
    try:
        found = selectors.consultation_page(
            slug, include_unpublished=request.user.has_perm("consultations.manage")
        )
    except Consultation.DoesNotExist:
        raise Http404(_("There is no consultation with this name.")) from None
    found.session_count = len(found.sessions.all())
    return {
        **_consultation(request, found, language),
        "sessions": [_session(s, language) for s in found.sessions.all()],
        "surveys": [survey_ref(s, language) for s in found.surveys.all()],
        "comments_open_at": found.comments_open_at,
        "comments_close_at": found.comments_close_at,
        "comments_open": found.comments_are_open(),
        "reports": [_report_ref(request, found, r) for r in found.published_reports],
    }


@router.get(
    "/consultations/{slug}/reports/{group}",
    response={200: GroupReportOut, **DETAIL_ERRORS},
    auth=None,
    summary="Read a published report",
)
def report(request, slug: str, group: str, params: Query[LanguageQuery]):
    """A working group's published report on a consultation: its sections as sanitized
    HTML in the requested language (else a marked fallback) and its quotations, named
    only with their authors' consent. Drafts and shared reports are not in the API."""
    language = get_language()
    found = (
        Report.objects.filter(
            consultation__slug=slug,
            consultation__is_published=True,
            working_group__slug=group,
            state=Report.State.PUBLISHED,
        )
        .select_related("consultation", "working_group")
        .prefetch_related("quotes")
        .first()
    )
    if found is None:
        raise Http404(_("There is no published report of this working group on this consultation."))
    return {
        **_report_ref(request, found.consultation, found),
        "consultation": found.consultation.slug,
        "priorities": _text(found, "priorities", language, html=True),
        "proposed_activities": _text(found, "proposed_activities", language, html=True),
        "tool_issues": _text(found, "tool_issues", language, html=True),
        "quotes": [{"text": q.text, "attribution": q.attribution} for q in found.quotes.all()],
    }
