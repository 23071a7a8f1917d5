"""Background e-mails of the members domain. Each task takes an id and renders in the
recipient's language, so a worker on another machine needs nothing but the database."""

from django.conf import settings
from django_tasks import task

from coalition.core.mail import send_templated
from coalition.core.recovery import retry_safe


def _send(template, context, to, language, once=None):
    send_templated(f"members/email/{template}", context, to=to, language=language, once=once)


def _context(**extra):
    return {"site_url": settings.SITE_URL, **extra}


@task()
def send_application_received(application_id):
    from .models import MembershipApplication

    application = MembershipApplication.objects.select_related("organization").get(
        pk=application_id
    )
    context = _context(application=application, organization=application.organization)
    _send("application_received", context, [application.applicant_email], application.language)
    _send(
        "application_to_secretariat", context, [settings.SECRETARIAT_EMAIL], settings.LANGUAGE_CODE
    )


@task()
def send_application_decision(application_id):
    from .models import MembershipApplication

    application = MembershipApplication.objects.select_related("organization").get(
        pk=application_id
    )
    context = _context(application=application, organization=application.organization)
    _send("application_decision", context, [application.applicant_email], application.language)


def _membership(membership_id):
    from .models import WorkingGroupMembership

    return WorkingGroupMembership.objects.select_related("working_group", "person__user").get(
        pk=membership_id
    )


def _language_of(user):
    return (user and user.preferred_language) or settings.LANGUAGE_CODE


@retry_safe
@task()
def send_group_membership_requested(membership_id):
    from .models import WorkingGroupMembership

    membership = _membership(membership_id)
    chairs = WorkingGroupMembership.objects.filter(
        working_group=membership.working_group,
        role=WorkingGroupMembership.Role.CHAIR,
        status=WorkingGroupMembership.Status.ACTIVE,
    ).select_related("person__user")
    recipients = {
        (c.person.user.email if c.person.user else c.person.email): _language_of(c.person.user)
        for c in chairs
    }
    recipients = {email: lang for email, lang in recipients.items() if email} or {
        settings.SECRETARIAT_EMAIL: settings.LANGUAGE_CODE
    }
    context = _context(membership=membership, group=membership.working_group)
    once = f"group-request:{membership.pk}:{membership.requested_at:%Y%m%dT%H%M%S.%f}"
    for email, language in recipients.items():
        _send("group_membership_requested", context, [email], language, once)


@task()
def send_group_membership_decision(membership_id):
    membership = _membership(membership_id)
    user = membership.person.user
    email = user.email if user else membership.person.email
    if email:
        context = _context(membership=membership, group=membership.working_group)
        _send("group_membership_decision", context, [email], _language_of(user))
