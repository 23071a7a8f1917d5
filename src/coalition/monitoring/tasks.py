"""Background work of the monitoring app: printing the synthesis to PDF, and its e-mails.

E-mails: the country's reporting team (its focal point and co-editors) hears that its
report was submitted (with the version's number), accepted, or sent back with questions
to clarify; the secretariat hears of each submission; a co-editor hears of being added to
a country's team, and a focal point of being named. Each task takes an id, reads what is
there now, and writes to each recipient in their own language (`core.mail`), with links
made absolute from the site's address (`HUB_SITE_URL`).
"""

from django.conf import settings
from django_tasks import task

from coalition.core.mail import send_templated
from coalition.core.recovery import retry_safe


@task()
def build_synthesis_document(document_id):
    from .services.synthesis import build_document

    document = build_document(document_id)
    return {"document": document.pk, "size": document.size}


# --- e-mails ---


def _version(version_id):
    from .models import ReportVersion

    return ReportVersion.objects.select_related("report__cycle", "submitted_by").get(pk=version_id)


def team_of(country):
    """The active accounts of a country's reporting team, focal points first."""
    from .models import CountryRole

    roles = CountryRole.objects.filter(country=str(country), user__is_active=True).select_related(
        "user"
    )
    return [role.user for role in roles.order_by("role", "pk") if role.user.email]


def _send_to_team(template, report, context, once):
    for user in team_of(report.country):
        send_templated(
            f"monitoring/email/{template}",
            context,
            to=[user.email],
            language=user.preferred_language,
            once=once,
        )


def _context(version, **extra):
    return {
        "version": version,
        "report": version.report,
        "cycle": version.report.cycle,
        "site_url": settings.SITE_URL,
        **extra,
    }


# Each mail task is retry-safe (core.recovery): its mails are sent `once` per occasion.


@retry_safe
@task()
def send_report_submitted(version_id):
    """The team's confirmation of a submitted version, and the secretariat's notice."""
    version = _version(version_id)
    context = _context(version)
    once = f"report-submitted:{version_id}"
    _send_to_team("report_submitted", version.report, context, once)
    send_templated(
        "monitoring/email/report_to_secretariat",
        context,
        to=[settings.SECRETARIAT_EMAIL],
        language=settings.LANGUAGE_CODE,
        once=once,
    )


@retry_safe
@task()
def send_report_decision(version_id):
    """The secretariat's decision on a version: accepted, or back with named questions."""
    from .models import ReportVersion

    version = _version(version_id)
    once = f"report-decision:{version_id}:{version.decision}"
    if version.decision == ReportVersion.Decision.ACCEPTED:
        _send_to_team("report_accepted", version.report, _context(version), once)
    elif version.decision == ReportVersion.Decision.CLARIFICATION:
        questions = list(version.clarify.order_by("number"))
        _send_to_team(
            "report_clarification", version.report, _context(version, questions=questions), once
        )


@retry_safe
@task()
def send_co_editor_invited(role_id):
    """A co-editor added to a country's team hears of it (nothing if removed meanwhile)."""
    _send_role_mail(role_id, "monitoring/email/co_editor_invited", f"co-editor:{role_id}")


@retry_safe
@task()
def send_focal_point_named(role_id):
    """A person the secretariat names as a country's focal point hears of it."""
    _send_role_mail(role_id, "monitoring/email/focal_point_named", f"focal-point:{role_id}")


def _send_role_mail(role_id, template, once):
    from .models import CountryRole

    role = CountryRole.objects.select_related("user", "granted_by").filter(pk=role_id).first()
    if role is None or not role.user.is_active:
        return
    send_templated(
        template,
        {"role": role, "country": role.country, "site_url": settings.SITE_URL},
        to=[role.user.email],
        language=role.user.preferred_language,
        once=once,
    )
