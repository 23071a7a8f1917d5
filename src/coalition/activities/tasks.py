"""E-mails of activities, each task taking an id and writing in the recipient's language.

Moderation: the submitter and the secretariat hear of a submission, the submitter of the
decision.

Registration: confirmation, waiting list, promotion, changes, cancellation.

Each task takes an id, reads the registration as it is now and writes in the language of
the page the person registered on. What a task finds decides what it sends: a place
cancelled before the worker ran gets no confirmation, an event cancelled meanwhile gets
no invitation (the cancellation e-mail follows). Confirmed registrants get an .ics
invitation (METHOD:REQUEST); when the event's time, place or title changes, another with
the same UID and the higher SEQUENCE updates it; when the event or their place is
cancelled, an .ics with METHOD:CANCEL and the same UID takes it out of their calendar.
"""

from email.mime.text import MIMEText
from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django_tasks import task

from coalition.core.mail import absolute_url, send_once, send_templated, templated_message
from coalition.core.recovery import retry_safe
from coalition.recommendation.content import content_in
from coalition.recommendation.languages import join_list

from .clocks import span_in_zone
from .ical.components import Method, invitation, location_text, organization_names
from .models import Registration, Submission
from .services.registration import LIVE, is_over
from .tokens import signed_token

# --- moderation ---


def _submission(submission_id):
    return Submission.objects.select_related("activity", "submitted_by", "on_behalf_of").get(
        pk=submission_id
    )


# The tasks marked retry-safe (core.recovery) send each of their mails `once`.


@retry_safe
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
            once=f"submission:{submission_id}",
        )
    send_templated(
        "activities/email/submission_to_secretariat",
        context,
        to=[settings.SECRETARIAT_EMAIL],
        language=settings.LANGUAGE_CODE,
        once=f"submission:{submission_id}",
    )


@retry_safe
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
        once=f"submission-decision:{submission_id}:{submission.status}",
    )


# --- registration ---


def _registration(registration_id):
    return (
        Registration.objects.select_related("activity", "user")
        .prefetch_related("activity__organizations")
        .filter(pk=registration_id)
        .first()
    )


def language_of(registration):
    user = registration.user
    return (
        registration.language
        or (user.preferred_language if user is not None else "")
        or settings.LANGUAGE_CODE
    )


def clocks(registration):
    """The event's time on the organizer's clock, in UTC, and in the registrant's own zone."""
    activity = registration.activity
    if activity.starts_at is None:
        return []
    start, end = activity.starts_at, activity.ends_at
    organizer_zone = activity.time_zone or "UTC"
    lines = [(organizer_zone, span_in_zone(start, end, organizer_zone))]
    if organizer_zone != "UTC":
        lines.append(("UTC", span_in_zone(start, end, "UTC")))
    user = registration.user
    own_zone = getattr(user, "time_zone", "") if user is not None else ""
    if own_zone:
        own = span_in_zone(start, end, own_zone)
        # A zone that reads the same as one already given (Berlin beside Paris) adds nothing.
        if own not in (text for _zone, text in lines):
            lines.append((own_zone, own))
    return lines


def _context(registration, language):
    activity = registration.activity
    return {
        "registration": registration,
        "activity": activity,
        "title": content_in(activity, "title", language).value,
        "clocks": clocks(registration),
        "where": location_text(activity),
        "organizers": join_list(organization_names(activity, language)),
        "event_url": absolute_url(activity.get_absolute_url()),
        "cancel_url": absolute_url(
            reverse(
                "activities:registration-cancel",
                kwargs={"signed": signed_token(registration)},
            )
        ),
        "site_url": settings.SITE_URL,
    }


def _calendar_part(ics, method):
    # The calendar travels as a text/calendar part with its METHOD, which is how mail
    # programs recognize an invitation (or its cancellation) and offer to update the calendar.
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="event.ics")
    return part


def send(template, registration, *, method=None, extra=None, once=None):
    activity = registration.activity
    language = language_of(registration)
    with translation.override(language):
        context = {**_context(registration, language), "method": method, **(extra or {})}
        ics = None
        if method is not None:
            confirmed = method == Method.REQUEST
            ics = invitation(
                registration,
                method=method,
                language=language,
                access_url=activity.access_url if confirmed else "",
            )
    public_contact = activity.contact_is_public and activity.contact_email
    message = templated_message(
        template,
        context,
        to=[registration.email],
        language=language,
        reply_to=[activity.contact_email] if public_contact else None,
    )
    if ics is not None:
        message.attach(_calendar_part(ics, method))
    if once is None:
        message.send()
    else:
        send_once(message, once, template)


@retry_safe
@task()
def send_registration_status(registration_id, occasion="registered"):
    """Confirmation (with the invitation) or waiting-list notice; `occasion` "promoted" when
    a place freed up for someone who was waiting."""
    registration = _registration(registration_id)
    if registration is None or registration.activity.is_cancelled:
        return
    if registration.status == Registration.Status.CONFIRMED:
        template = "registration_promoted" if occasion == "promoted" else "registration_confirmed"
        send(
            f"activities/email/{template}",
            registration,
            method=Method.REQUEST,
            extra={"access_url": registration.activity.access_url},
            once=f"registration:{registration_id}:{occasion}",
        )
    elif registration.status == Registration.Status.WAITING:
        send(
            "activities/email/registration_waiting",
            registration,
            once=f"registration:{registration_id}:waiting",
        )


@task()
def send_already_registered(registration_id, language=""):
    """Someone registered this address again (the form answered as for anyone): remind the
    registrant of their registration, with the link to cancel it."""
    registration = _registration(registration_id)
    if registration is None or registration.activity.is_cancelled:
        return
    send("activities/email/registration_already", registration)


@retry_safe
@task()
def send_registration_cancelled(registration_id, had_place=True):
    """Acknowledges a cancelled registration; takes the event out of the calendar it was put in."""
    registration = _registration(registration_id)
    if registration is None or registration.activity.is_cancelled:
        return
    send(
        "activities/email/registration_cancelled",
        registration,
        method=Method.CANCEL if had_place else None,
        once=f"registration-cancelled:{registration_id}",
    )


@retry_safe
@task()
def send_event_cancelled(registration_id):
    registration = _registration(registration_id)
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return
    had_place = registration.status == Registration.Status.CONFIRMED
    send(
        "activities/email/event_cancelled",
        registration,
        method=Method.CANCEL if had_place else None,
        once=f"event-cancelled:{registration_id}",
    )


# --- an event's schedule changed ---


def _previous(activity, previous):
    """The former time and place, each only when it differs from the event's now."""
    if not previous:
        return {}
    starts_at = parse_datetime(previous["starts_at"]) if previous.get("starts_at") else None
    ends_at = parse_datetime(previous["ends_at"]) if previous.get("ends_at") else None
    zone = previous.get("time_zone") or "UTC"
    moved = (starts_at, ends_at, zone) != (
        activity.starts_at,
        activity.ends_at,
        activity.time_zone or "UTC",
    )
    where = location_text(
        SimpleNamespace(is_online=previous.get("is_online"), location=previous.get("location"))
    )
    return {
        "previous_when": span_in_zone(starts_at, ends_at, zone) if moved and starts_at else "",
        "previous_zone": zone,
        "previous_where": where if where != location_text(activity) else "",
    }


@retry_safe
@task()
def send_event_changed(registration_id, sequence, previous=None):
    """The event's new time, place or title, for one registrant; `sequence` is the event's
    SEQUENCE once the change was approved, `previous` its time and place before.

    Confirmed registrants get the updated invitation (METHOD:REQUEST, same UID, the new
    SEQUENCE), which moves the event in their calendar; those waiting have nothing in a
    calendar yet and are told they are still waiting. Nothing is sent for a place cancelled
    meanwhile, an event cancelled or over, or when a later change has been approved since:
    the task queued for that one tells the same registrant the latest details.
    """
    registration = _registration(registration_id)
    if registration is None or registration.status not in LIVE:
        return
    activity = registration.activity
    if (
        activity.sequence != sequence
        or activity.is_cancelled
        or not activity.is_published
        or is_over(activity)
    ):
        return
    confirmed = registration.status == Registration.Status.CONFIRMED
    with translation.override(language_of(registration)):
        extra = _previous(activity, previous)
    send(
        "activities/email/event_changed",
        registration,
        method=Method.REQUEST if confirmed else None,
        extra={
            **extra,
            "waiting": not confirmed,
            "access_url": activity.access_url if confirmed else "",
        },
        once=f"event-changed:{registration_id}:{sequence}",
    )
