"""Registration for events: places, the waiting list, cancellation.

Each function is one transaction; e-mails (with the event's .ics) are queued on commit,
so nobody is told about a place that a rolled-back transaction never gave them.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition.core import page_cache
from coalition.core.queue import enqueue_on_commit

from ..models import Activity, ModerationEntry, Registration

LIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITING)


def is_over(activity, now=None):
    end = activity.ends_at or activity.starts_at
    return end is not None and end < (now or timezone.now())


def refusal(activity, now=None):
    """Why this event takes no registration now, in words for the visitor; "" if it does."""
    if not activity.is_published or not activity.is_event or not activity.registration_required:
        return _("This event does not take registrations.")
    if activity.is_cancelled:
        return _("This event is cancelled; it no longer takes registrations.")
    if is_over(activity, now):
        return _("This event is over.")
    if not activity.registration_open:
        return _("Registration for this event is closed.")
    return ""


def counts(activity):
    """Confirmed and waiting registrations and places left (None: no limit), in one query."""
    figures = activity.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
    )
    left = None if activity.capacity is None else max(activity.capacity - figures["confirmed"], 0)
    return {**figures, "capacity": activity.capacity, "left": left}


def live_registration(activity, user):
    if not user.is_authenticated:
        return None
    return activity.registrations.filter(user=user, status__in=LIVE).first()


@transaction.atomic
def cancel_event(activity, *, by):
    """Cancel an event; every live registrant is told, with an .ics that removes it."""
    if not by.has_perm("activities.manage_event", activity):
        raise PermissionDenied
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.is_cancelled:
        raise ValidationError(_("This event is already cancelled."))
    activity.is_cancelled = True
    activity.sequence += 1
    activity.save(update_fields=["is_cancelled", "sequence", "updated_at"])
    ModerationEntry.objects.record(
        activity, actor=by, action="cancelled", from_state=activity.state, to_state=activity.state
    )
    live = activity.registrations.filter(status__in=LIVE).values_list("pk", flat=True)
    for registration_id in live:
        enqueue_on_commit("coalition.activities.tasks.send_event_cancelled", registration_id)
    return activity


@transaction.atomic
def register(
    activity,
    *,
    name,
    email,
    user=None,
    organization_name="",
    share_contact=False,
    language="",
    quiet_duplicates=False,
):
    """A place at an event, or a place on its waiting list when it is full.

    `language` is the language of the page the person registered on; their e-mails use it.

    With `quiet_duplicates` (the web form and the API), an address already registered, or
    a signed-in account already registered, gets no different answer, so that nobody
    learns who is registered: the registrant is told by e-mail instead, and an unsaved
    registration comes back with the status a new one would have had. Without it, a
    duplicate is a ValidationError (code "duplicate").
    """
    # Locking the event row serializes registrations, so two people never take the last place.
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    reason = refusal(activity)
    if reason:
        raise ValidationError(reason, code="closed")
    email = email.strip().lower()
    user = user if user is not None and user.is_authenticated else None
    live = activity.registrations.filter(status__in=LIVE)
    confirmed = activity.registrations.filter(status=Registration.Status.CONFIRMED).count()
    status = (
        Registration.Status.WAITING
        if activity.capacity is not None and confirmed >= activity.capacity
        else Registration.Status.CONFIRMED
    )
    already = live.filter(email=email).first()
    if already is None and user is not None:
        already = live.filter(user=user).first()
    if already is not None:
        if quiet_duplicates:
            return _told_already(already, name=name, email=email, status=status, language=language)
        raise ValidationError(
            _("This e-mail address is already registered for this event."), code="duplicate"
        )
    try:
        # A savepoint, so that losing a race on the unique constraint leaves the outer
        # transaction usable and the visitor gets the same answer as above.
        with transaction.atomic():
            registration = Registration.objects.create(
                activity=activity,
                user=user,
                name=name.strip(),
                email=email,
                organization_name=organization_name.strip(),
                share_contact=share_contact,
                status=status,
                language=language if language in dict(settings.LANGUAGES) else "",
            )
    except IntegrityError:
        already = live.filter(email=email).first()
        if quiet_duplicates and already is not None:
            return _told_already(already, name=name, email=email, status=status, language=language)
        raise ValidationError(
            _("This e-mail address is already registered for this event."), code="duplicate"
        ) from None
    enqueue_on_commit("coalition.activities.tasks.send_registration_status", registration.pk)
    return registration


def _told_already(already, *, name, email, status, language):
    """The registrant of `already` is reminded by e-mail; the caller gets an unsaved
    registration that looks like a new one."""
    enqueue_on_commit("coalition.activities.tasks.send_already_registered", already.pk, language)
    return Registration(
        activity_id=already.activity_id, name=name.strip(), email=email, status=status
    )


@transaction.atomic
def cancel_registration(registration):
    """Frees the place; the first person waiting gets it and is told."""
    activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    had_place = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    enqueue_on_commit(
        "coalition.activities.tasks.send_registration_cancelled", registration.pk, had_place
    )
    if had_place:
        promote_waiting(activity)
    return registration


def promote_waiting(activity):
    """Fill free places from the waiting list, first come first served.

    Called inside a transaction that holds the event's row lock. Nobody is promoted to a
    cancelled or finished event: a place there is worth nothing and the e-mail would mislead.
    """
    if activity.is_cancelled or is_over(activity):
        return []
    waiting = activity.registrations.filter(status=Registration.Status.WAITING)
    if activity.capacity is None:
        free = waiting.count()
    else:
        confirmed = activity.registrations.filter(status=Registration.Status.CONFIRMED).count()
        free = max(activity.capacity - confirmed, 0)
    promoted = list(waiting.order_by("created_at", "pk")[:free])
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status"])
        enqueue_on_commit(
            "coalition.activities.tasks.send_registration_status", registration.pk, "promoted"
        )
    return promoted


def announce_schedule_change(activity):
    """Tell every live registrant, once the transaction commits, that the event changed.

    Called when the secretariat approves a change of a published event's time, zone, place
    or title, after SEQUENCE is raised and BEFORE the change is written: what `activity`
    holds now is what registrants were told last, and goes with each task so the e-mail
    can say what the time or place was.
    """
    previous = {
        "starts_at": activity.starts_at.isoformat() if activity.starts_at else None,
        "ends_at": activity.ends_at.isoformat() if activity.ends_at else None,
        "time_zone": activity.time_zone,
        "location": activity.location,
        "is_online": activity.is_online,
    }
    live = activity.registrations.filter(status__in=LIVE).values_list("pk", flat=True)
    for registration_id in live:
        enqueue_on_commit(
            "coalition.activities.tasks.send_event_changed",
            registration_id,
            activity.sequence,
            previous,
        )


@transaction.atomic
def import_registrations(activity, rows, *, by):
    """Registrations kept elsewhere (a past event's sign-up sheet, another platform), recorded
    as they stand: each row has name, email, status and created_at, and may have user,
    organization_name, share_contact and cancelled_at. Nobody is e-mailed; an address
    already registered is left as it is. Returns the registrations created."""
    if not by.has_perm("activities.manage_event", activity):
        raise PermissionDenied
    if not activity.is_event or not activity.registration_required:
        raise ValidationError(_("This event does not take registrations."))
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    taken = set(activity.registrations.values_list("email", flat=True))
    statuses = set(Registration.Status.values)
    made = []
    for row in rows:
        email = row["email"].strip().lower()
        if email in taken:
            continue
        if row["status"] not in statuses:
            raise ValidationError(_("Unknown registration status: %(status)s") % row)
        taken.add(email)
        user = row.get("user")
        made.append(
            Registration(
                activity=activity,
                user=user if user is not None and user.is_authenticated else None,
                name=row["name"].strip(),
                email=email,
                organization_name=row.get("organization_name", "").strip(),
                share_contact=row.get("share_contact", False),
                status=row["status"],
                created_at=row["created_at"],
                cancelled_at=row.get("cancelled_at"),
            )
        )
    created = Registration.objects.bulk_create(made)
    if created:  # no save signal for a bulk insert: the kept event page shows places left
        page_cache.touch("activity-pages")
    return created
