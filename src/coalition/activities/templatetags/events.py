"""Event page pieces: the registration panel, schema.org JSON-LD, links to the feeds.

They are template tags so that the activity page and the lists include them without their
views knowing: each tag asks for what it needs in a few small queries.
"""

import json

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from coalition.activities import tokens
from coalition.activities.forms.events import RegistrationForm
from coalition.activities.ical import zones
from coalition.activities.models import Kind, ProgrammeRole
from coalition.activities.services import registration as registrations
from coalition.core.mail import absolute_url
from coalition.core.richtext import html_to_text
from coalition.recommendation.content import content_in

register = template.Library()


@register.inclusion_tag("activities/events/panel.html", takes_context=True)
def event_registration(context, activity):
    """Registration, the access link, "add to calendar" and the organizers' tools of an event."""
    request = context["request"]
    user = request.user
    if not activity.is_event:
        return {"show": False}
    mine = registrations.live_registration(activity, user)
    reason = registrations.refusal(activity) if activity.registration_required else ""
    can_manage = user.has_perm("activities.manage_event", activity)
    counts = None
    if activity.registration_required and (can_manage or activity.capacity is not None):
        counts = registrations.counts(activity)
    return {
        "show": True,
        "activity": activity,
        "request": request,
        "mine": mine,
        "cancel_url": reverse(
            "activities:registration-cancel", kwargs={"signed": tokens.signed_token(mine)}
        )
        if mine
        else "",
        "reason": reason,
        "form": RegistrationForm(user=user)
        if activity.registration_required and not reason and mine is None
        else None,
        "counts": counts,
        "can_manage": can_manage,
        "can_name_organizers": user.has_perm("activities.name_organizers", activity),
        "is_over": registrations.is_over(activity),
        "access_url": activity.access_url
        if activity.access_url and user.has_perm("activities.view_access_link", activity)
        else "",
        "in_calendar": activity.is_published and activity.starts_at is not None,
    }


# --- schema.org JSON-LD ---

_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data):
    """`<script type="application/ld+json">`, escaped as Django's json_script escapes: no
    `<`, `>` or `&` survives, so no text (a title with `</script>`) can close the element."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above


def _organizations(activity, language):
    return [
        {
            "@type": "Organization",
            "name": content_in(organization, "name", language).value,
            "url": absolute_url(organization.get_absolute_url()),
        }
        for organization in activity.organizations.all()
    ]


def _in_language(activity):
    codes = [language.code for language in activity.languages.all()]
    return codes[0] if len(codes) == 1 else codes


def _event_data(activity, page, language, programme):
    zone = zones.zone_of(activity)
    data = {
        "@type": "Event",
        "eventStatus": "https://schema.org/EventCancelled"
        if activity.is_cancelled
        else "https://schema.org/EventScheduled",
    }
    if activity.starts_at:
        data["startDate"] = activity.starts_at.astimezone(zone).isoformat()
    if activity.ends_at:
        data["endDate"] = activity.ends_at.astimezone(zone).isoformat()
    # Online events are located at their public page: the access link stays with registrants.
    virtual = {"@type": "VirtualLocation", "url": page}
    place = {"@type": "Place", "name": activity.location, "address": activity.location}
    if activity.is_online and activity.location:
        data["eventAttendanceMode"] = "https://schema.org/MixedEventAttendanceMode"
        data["location"] = [virtual, place]
    elif activity.is_online:
        data["eventAttendanceMode"] = "https://schema.org/OnlineEventAttendanceMode"
        data["location"] = virtual
    else:
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        if activity.location:
            data["location"] = place
    data["organizer"] = _organizations(activity, language)
    speakers = [
        {"@type": "Person", "name": role.person.name}
        for role in programme or []
        if role.role == ProgrammeRole.Role.SPEAKER and role.person.public_profile
    ]
    if speakers:
        data["performer"] = speakers
    return data


def structured_data(activity, *, language, programme=None):
    """The schema.org description of a published activity, as a dict for JSON-LD."""
    page = absolute_url(activity.get_absolute_url())
    title = content_in(activity, "title", language).value
    description = html_to_text(content_in(activity, "summary", language).value, limit=5000)
    if activity.is_event:
        data = _event_data(activity, page, language, programme)
        data["name"] = title
    else:
        data = {
            "@type": "NewsArticle" if activity.kind == Kind.NEWS else "CreativeWork",
            "headline": title,
            "name": title,
            "author": _organizations(activity, language),
            "datePublished": activity.published_at.isoformat(),
            "dateModified": activity.updated_at.isoformat(),
        }
        if activity.kind == Kind.CALL and activity.deadline:
            data["expires"] = activity.deadline.astimezone(zones.zone_of(activity)).isoformat()
    data = {"@context": "https://schema.org", **data, "url": page}
    if description:
        data["description"] = description
    in_language = _in_language(activity)
    if in_language:
        data["inLanguage"] = in_language
    if activity.image:
        data["image"] = absolute_url(activity.image.url)
    return data


@register.simple_tag(takes_context=True)
def activity_json_ld(context, activity):
    if not activity.is_published:
        return ""
    data = structured_data(activity, language=get_language(), programme=context.get("programme"))
    return json_ld_script(data)


# --- links to the feeds from the lists ---


def _feed(label, path):
    """A calendar feed: its https address, and webcal: to open it in the calendar app."""
    webcal = "webcal://" + absolute_url(path).split("://", 1)[1]
    return {"label": label, "url": path, "webcal": webcal}


@register.simple_tag(takes_context=True)
def feed_links(context):
    """The calendar feeds and the Atom feed that match the list's filters."""
    request = context["request"]
    form = context.get("form")
    filters = form.filters() if form is not None else {}
    calendars = [_feed("", reverse("activities:calendar"))]
    if filters.get("working_group"):
        group = filters["working_group"]
        calendars.append(
            _feed(
                content_in(group, "name").value,
                reverse("activities:calendar-working-group", kwargs={"slug": group.slug}),
            )
        )
    if filters.get("organization"):
        organization = filters["organization"]
        calendars.append(
            _feed(
                content_in(organization, "name").value,
                reverse("activities:calendar-organization", kwargs={"slug": organization.slug}),
            )
        )
    if filters.get("action_area"):
        area = filters["action_area"]
        calendars.append(
            _feed(
                content_in(area, "short_title").value,
                reverse("activities:calendar-action-area", kwargs={"number": area.number}),
            )
        )
    query = request.GET.copy()
    for name in ("page", "when"):
        query.pop(name, None)
    match = request.resolver_match
    if match is not None and match.url_name == "event-list":
        query["kind"] = Kind.EVENT
    atom = reverse("activities:activity-feed")
    return {
        "calendars": calendars,
        "atom": f"{atom}?{query.urlencode()}" if query else atom,
    }
