"""Account mails (django-allauth), sent in the background once rendered in the request."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_account_mail(*, subject, body, alternatives, from_email, to, headers):
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers
    )
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    message.send()
