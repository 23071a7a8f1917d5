"""Event pages: registration, the personal cancel link, organizers' tools, iCalendar feeds."""

import csv
import hashlib
from datetime import UTC

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from coalition.members.models import Organization, WorkingGroup
from coalition.recommendation.content import content_in
from coalition.recommendation.models import ActionArea

from .. import tokens
from ..forms.events import OrganizerForm, OrganizerSearchForm, RegistrationForm
from ..ical import feeds
from ..models import Activity, Kind, Registration
from ..services import organizers as organizer_services
from ..services import registration as registrations

# Feeds are polled by calendar apps every few hours; a rendered feed is kept this long,
# and refreshed earlier whenever its events change (see ical.feeds.fingerprint).
FEED_CACHE_SECONDS = 15 * 60
FEED_MAX_AGE = 5 * 60


def _event(slug, user):
    activity = get_object_or_404(
        Activity.objects.prefetch_related("organizations"), slug=slug, kind=Kind.EVENT
    )
    if not user.has_perm("activities.view_activity", activity):
        raise PermissionDenied
    return activity


def _event_anchor(activity):
    return f"{activity.get_absolute_url()}#registration"


# --- registration ---


@require_http_methods(["GET", "POST"])
# Generous enough for a team registering from one office network, tight enough for scripts.
@ratelimit(key="ip", rate="60/h", method="POST", block=True)
def register(request, slug):
    """The registration form (also shown in the event page's panel, which posts here)."""
    activity = _event(slug, request.user)
    existing = registrations.live_registration(activity, request.user)
    reason = registrations.refusal(activity)
    form = RegistrationForm(request.POST or None, user=request.user)
    if request.method == "POST" and not reason and existing is None and form.is_valid():
        try:
            registration = registrations.register(
                activity,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                user=request.user,
                organization_name=form.cleaned_data["organization_name"],
                share_contact=form.cleaned_data["share_contact"],
                language=get_language(),
                # The same answer whether or not the address is registered already.
                quiet_duplicates=True,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if registration.status == Registration.Status.WAITING:
                messages.warning(
                    request,
                    _(
                        "All places are taken, so you are on the waiting list. "
                        "If a place frees up, "
                        "it is yours in turn and we will e-mail you at once. We have sent you an "
                        "e-mail to confirm."
                    ),
                )
            else:
                messages.success(
                    request,
                    _(
                        "You are registered. We have sent you a confirmation e-mail with the "
                        "invitation for your calendar."
                    ),
                )
            return redirect(_event_anchor(activity))
    refused = request.method == "POST" and (reason or existing is not None)
    return render(
        request,
        "activities/events/register.html",
        {
            "activity": activity,
            "form": form,
            "reason": reason,
            "existing": existing,
            "counts": registrations.counts(activity),
        },
        status=409 if refused else 200,
    )


@require_http_methods(["GET", "POST"])
def registration_cancel(request, signed):
    """The personal link in every registration e-mail: confirm, then cancel the place."""
    registration = tokens.registration_for_link(signed)
    if registration is None:
        raise Http404
    activity = registration.activity
    over = registrations.is_over(activity)
    if request.method == "POST":
        if registration.status == Registration.Status.CANCELLED:
            messages.info(request, _("This registration was already cancelled."))
        elif over:
            messages.error(request, _("This event is over; there is nothing left to cancel."))
        else:
            registrations.cancel_registration(registration)
            messages.success(
                request,
                _("Your registration is cancelled. We have sent you an e-mail to confirm."),
            )
        return redirect(request.path)
    return render(
        request,
        "activities/events/registration_cancel.html",
        {"registration": registration, "activity": activity, "over": over},
    )


# --- organizers ---


def _managed_event(request, slug):
    activity = get_object_or_404(
        Activity.objects.prefetch_related("organizations"), slug=slug, kind=Kind.EVENT
    )
    if not request.user.has_perm("activities.manage_event", activity):
        raise PermissionDenied
    return activity


def _participants(activity):
    order = {Registration.Status.CONFIRMED: 0, Registration.Status.WAITING: 1}
    live = activity.registrations.filter(status__in=registrations.LIVE).order_by("created_at", "pk")
    return sorted(live, key=lambda r: order[r.status])


@login_required
def participants(request, slug):
    activity = _managed_event(request, slug)
    return render(
        request,
        "activities/events/participants.html",
        {
            "activity": activity,
            "participants": _participants(activity),
            "counts": registrations.counts(activity),
        },
    )


CANDIDATES_SHOWN = 100


@login_required
@require_http_methods(["GET", "POST"])
def organizers(request, slug):
    """The event's organizers: its focal points and the secretariat name people affiliated
    with the organizing organizations, or remove them."""
    activity = get_object_or_404(
        Activity.objects.prefetch_related("organizations"), slug=slug, kind=Kind.EVENT
    )
    if not request.user.has_perm("activities.name_organizers", activity):
        raise PermissionDenied
    form = OrganizerForm(candidates=organizer_services.organizer_candidates(activity))
    if request.method == "POST":
        if "remove" in request.POST:
            user = activity.organizers.filter(pk=_number(request.POST["remove"])).first()
            if user is not None:
                organizer_services.remove_organizer(activity, by=request.user, user=user)
                messages.success(
                    request,
                    _("%(name)s is no longer an organizer of this event.")
                    % {"name": _person_name(user)},
                )
            return redirect("activities:event-organizers", slug=activity.slug)
        form = OrganizerForm(
            request.POST, candidates=organizer_services.organizer_candidates(activity)
        )
        if form.is_valid():
            person = form.cleaned_data["person"]
            try:
                organizer_services.name_organizer(
                    activity, by=request.user, email=person.user.email
                )
            except ValidationError as error:
                form.add_error("person", error.messages)
            else:
                messages.success(
                    request,
                    _("%(name)s is now an organizer of this event.") % {"name": person.name},
                )
                return redirect("activities:event-organizers", slug=activity.slug)
    search = OrganizerSearchForm(request.GET or None, activity=activity)
    criteria = search.cleaned_data if search.is_valid() else {}
    candidates = organizer_services.organizer_candidates(
        activity, q=criteria.get("q") or "", organization=criteria.get("organization")
    )
    shown = list(candidates[: CANDIDATES_SHOWN + 1])
    form.fields["person"].choices = [
        (person.pk, form.fields["person"].label_from_instance(person))
        for person in shown[:CANDIDATES_SHOWN]
    ]
    return render(
        request,
        "activities/events/organizers.html",
        {
            "activity": activity,
            "named": activity.organizers.select_related("person").order_by("pk"),
            "search": search,
            "form": form,
            "has_candidates": bool(shown),
            "more_candidates": len(shown) > CANDIDATES_SHOWN,
            "candidates_shown": CANDIDATES_SHOWN,
        },
        status=400 if form.errors else 200,
    )


def _number(value):
    return int(value) if str(value).isdigit() and len(str(value)) < 12 else None


def _person_name(user):
    person = getattr(user, "person", None)
    return person.name if person is not None and person.name else user.email


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


@login_required
def participants_csv(request, slug):
    activity = _managed_event(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="participants-{activity.slug}.csv"'
    # Registrants' addresses: neither a shared cache nor the browser's should keep them.
    patch_cache_control(response, private=True, no_store=True)
    # The byte order mark tells spreadsheet programs (Excel above all) that this is UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Name"),
            _("E-mail address"),
            _("Organization"),
            _("Status"),
            _("May share contact details"),
            _("Registered at (UTC)"),
        ]
    )
    for registration in _participants(activity):
        writer.writerow(
            [
                spreadsheet_safe(cell)
                for cell in (
                    registration.name,
                    registration.email,
                    registration.organization_name,
                    registration.get_status_display(),
                    _("yes") if registration.share_contact else _("no"),
                    registration.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
                )
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def cancel_event(request, slug):
    activity = _managed_event(request, slug)
    if not activity.is_published:
        raise Http404
    if request.method == "POST":
        try:
            registrations.cancel_event(activity, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The event is cancelled. Everyone registered is being told by e-mail."),
            )
        return redirect(activity)
    return render(
        request,
        "activities/events/cancel_event.html",
        {"activity": activity, "counts": registrations.counts(activity)},
    )


# --- iCalendar ---


def _calendar_response(request, body, *, filename, attachment=False):
    # Calendar apps poll; an unchanged feed costs them and us a 304.
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return get_conditional_response(request, etag=etag, response=response)


def _feed(request, *, key, name, filename, **filters):
    """A feed of upcoming and recent events, rendered at most once per change and language
    (and by one request at a time: see ical.feeds.cached_feed)."""
    body = feeds.cached_feed(
        feeds.feed_events(**filters),
        key=key,
        name=name,
        language=get_language(),
        timeout=FEED_CACHE_SECONDS,
    )
    return _calendar_response(request, body, filename=filename)


def calendar_all(request):
    name = _("OER Dynamic Coalition events")
    return _feed(request, key="all", name=name, filename="oer-coalition-events.ics")


def calendar_working_group(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    name = _("OER Dynamic Coalition events: %(group)s") % {"group": content_in(group, "name").value}
    return _feed(
        request,
        key=f"group-{group.pk}",
        name=name,
        filename=f"{group.slug}.ics",
        working_group=group,
    )


def calendar_organization(request, slug):
    organization = get_object_or_404(Organization.objects.members(), slug=slug)
    name = _("Events of %(organization)s") % {
        "organization": content_in(organization, "name").value
    }
    return _feed(
        request,
        key=f"organization-{organization.pk}",
        name=name,
        filename=f"{organization.slug}.ics",
        organization=organization,
    )


def calendar_action_area(request, number):
    area = get_object_or_404(ActionArea, number=number)
    name = _("OER Dynamic Coalition events: action area %(number)s, %(title)s") % {
        "number": area.number,
        "title": content_in(area, "short_title").value,
    }
    return _feed(
        request,
        key=f"area-{area.number}",
        name=name,
        filename=f"action-area-{area.number}.ics",
        action_area=area,
    )


def event_calendar(request, slug):
    """One event as an .ics file: the page's "Add to calendar"."""
    activity = get_object_or_404(
        Activity.objects.published().prefetch_related("organizations"),
        slug=slug,
        kind=Kind.EVENT,
        starts_at__isnull=False,
    )
    # No calendar name: apps would offer to create a calendar for this one event.
    body = feeds.feed_calendar([activity], name="", language=get_language(), description_limit=None)
    return _calendar_response(request, body, filename=f"{activity.slug}.ics", attachment=True)
