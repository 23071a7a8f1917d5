"""Registration for events: places, the waiting list, cancellation.

Each function is one transaction; e-mails (with the event's .ics) are queued on commit.
"""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registration_tasks as tasks
from .models import Activity, ModerationEntry, Registration


def _enqueue(task, *args):
    transaction.on_commit(partial(task.enqueue, *args))


@transaction.atomic
def cancel_event(activity, *, by):
    if not by.has_perm("activities.manage_event", activity):
        raise PermissionDenied
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.is_cancelled:
        raise ValidationError(_("This event is already cancelled."))
    activity.is_cancelled = True
    activity.sequence += 1
    activity.save(update_fields=["is_cancelled", "sequence", "updated_at"])
    ModerationEntry.objects.create(
        activity=activity, actor=by, action="cancelled", from_state=activity.state,
        to_state=activity.state,
    )
    for registration_id in activity.registrations.exclude(
        status=Registration.Status.CANCELLED
    ).values_list("pk", flat=True):
        _enqueue(tasks.send_event_cancelled, registration_id)
    return activity


@transaction.atomic
def register(activity, *, name, email, user=None, organization_name="", share_contact=False):
    """A place at an event, or a place on its waiting list when it is full."""
    # Locking the event row serializes registrations, so two people never take the last place.
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not activity.is_published or not activity.is_event or activity.is_cancelled:
        raise ValidationError(_("This event does not take registrations."))
    if not activity.registration_open:
        raise ValidationError(_("Registration for this event is closed."))
    if activity.ends_at and activity.ends_at < timezone.now():
        raise ValidationError(_("This event is over."))
    email = email.strip().lower()
    if activity.registrations.filter(email=email).exclude(status=Registration.Status.CANCELLED).exists():
        raise ValidationError(_("This e-mail address is already registered for this event."))
    confirmed = activity.registrations.filter(status=Registration.Status.CONFIRMED).count()
    full = activity.capacity is not None and confirmed >= activity.capacity
    registration = Registration.objects.create(
        activity=activity,
        user=user if user is not None and user.is_authenticated else None,
        name=name.strip(),
        email=email,
        organization_name=organization_name,
        share_contact=share_contact,
        status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
    )
    _enqueue(tasks.send_registration_status, registration.pk)
    return registration


@transaction.atomic
def cancel_registration(registration):
    """Frees the place; the first person waiting gets it and is told."""
    activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    freed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if freed:
        promote_waiting(activity)
    return registration


def promote_waiting(activity):
    """Fill free places from the waiting list, first come first served."""
    if activity.capacity is None:
        free = activity.registrations.filter(status=Registration.Status.WAITING).count()
    else:
        confirmed = activity.registrations.filter(status=Registration.Status.CONFIRMED).count()
        free = max(activity.capacity - confirmed, 0)
    waiting = list(
        activity.registrations.filter(status=Registration.Status.WAITING).order_by("created_at", "pk")[:free]
    )
    for registration in waiting:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status"])
        _enqueue(tasks.send_registration_status, registration.pk)
    return waiting
