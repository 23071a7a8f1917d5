"""Moderation e-mails. Each task takes an id and renders in the recipient's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


def send_rendered(template, context, to, language):
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


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
        send_rendered(
            "activities/email/submission_received", context, [user.email], user.preferred_language
        )
    send_rendered(
        "activities/email/submission_to_secretariat",
        context,
        [settings.SECRETARIAT_EMAIL],
        settings.LANGUAGE_CODE,
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
    send_rendered(
        "activities/email/submission_decision", context, [user.email], user.preferred_language
    )
