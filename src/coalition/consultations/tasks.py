"""Consultation e-mails. Each task takes ids, looks them up, and renders in a language."""

from django.conf import settings
from django_tasks import task

from coalition.core.mail import send_templated
from coalition.core.recovery import retry_safe


@task()
def send_response_copy(response_id, address, language):
    """A copy of one's answers, on request, in the language they answered in."""
    from . import results
    from .models import Response

    response = Response.objects.select_related("survey").get(pk=response_id)
    send_templated(
        "consultations/email/response_copy",
        {
            "survey": response.survey,
            "lines": results.answer_lines(response),
            "site_url": settings.SITE_URL,
        },
        to=[address],
        language=language,
    )


@retry_safe
@task()
def send_report_shared(report_id):
    """Tell the group's chairs that its rapporteur shared the report for their remarks."""
    from coalition.members.models import WorkingGroupMembership

    from .models import Report

    report = Report.objects.select_related("consultation", "working_group").get(pk=report_id)
    chairs = WorkingGroupMembership.objects.filter(
        working_group=report.working_group,
        role=WorkingGroupMembership.Role.CHAIR,
        status=WorkingGroupMembership.Status.ACTIVE,
        person__user__isnull=False,
    ).select_related("person__user")
    # Each sharing is its own occasion (a report may be shared again after changes).
    once = f"report-shared:{report.pk}:{report.updated_at:%Y%m%dT%H%M%S.%f}"
    for membership in chairs:
        user = membership.person.user
        send_templated(
            "consultations/email/report_shared",
            {"report": report, "site_url": settings.SITE_URL},
            to=[user.email],
            language=user.preferred_language,
            once=once,
        )
