"""E-mails about registrations. Owned by the events work: confirmation with .ics, cancellation."""

from django_tasks import task


@task()
def send_registration_status(registration_id):
    raise NotImplementedError


@task()
def send_event_cancelled(registration_id):
    raise NotImplementedError
