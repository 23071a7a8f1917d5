"""Moderation e-mails. Each task takes an id and renders in the recipient's language."""

from django.conf import settings
from django_tasks import task

from coalition.core.mail import send_templated


def _submission(submission_id):
    from .models import Submission

    return Submission.objects.select_related("activity", "submitted_by", "on_behalf_of").get(
        pk=submission_id
    )


@task()
def send_submission_received(submission_id):
    submission = _submission(submission_id)
    context = {
        "submission": submission,
        "activity": submission.activity,
        "site_url": settings.SITE_URL,
    }
    user = submission.submitted_by
    if user is not None:
        send_templated(
            "activities/email/submission_received",
            context,
            to=[user.email],
            language=user.preferred_language,
        )
    send_templated(
        "activities/email/submission_to_secretariat",
        context,
        to=[settings.SECRETARIAT_EMAIL],
        language=settings.LANGUAGE_CODE,
    )


@task()
def send_submission_decision(submission_id):
    submission = _submission(submission_id)
    user = submission.submitted_by
    if user is None:
        return
    context = {
        "submission": submission,
        "activity": submission.activity,
        "site_url": settings.SITE_URL,
    }
    send_templated(
        "activities/email/submission_decision",
        context,
        to=[user.email],
        language=user.preferred_language,
    )
